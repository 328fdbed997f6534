package dev.linkwell.service.engine.baileys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service's end of the stdio link with the Baileys host: newline-delimited JSON, one object per line, the
 * shapes documented in {@code engines/baileys/lib/channel.js} ({@code req} / {@code res} with ids per direction,
 * {@code evt}, {@code log}). Requests fail after a timeout; a line that is not JSON, not an object, of an unknown
 * shape or longer than the limit is logged and dropped, and the link goes on. One reader thread calls the
 * {@link Peer}; the peer must hand work off quickly.
 */
final class HostLink {

    private static final Logger log = LoggerFactory.getLogger(HostLink.class);

    /** What the link delivers. Called on the reader thread, one call at a time. */
    interface Peer {

        /** A request from the host; the returned future's value (or {@link HostRequestException}) is the answer. */
        CompletableFuture<JsonNode> onRequest(String op, ObjectNode message);

        void onEvent(ObjectNode message);

        void onLog(ObjectNode message);

        /** The host's output ended (it exited or closed stdout); every request still waiting has failed. */
        void onEnd();
    }

    private final InputStream in;
    private final OutputStream out;
    private final JsonMapper json;
    private final int maxLineBytes;
    private final Duration requestTimeout;
    private final ScheduledExecutorService timer;
    private final Executor answers;
    private final Peer peer;
    private final String name;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param answers runs the writing of answers to the host's requests: never the reader thread, which must keep
     *                reading while a write waits for the host to read (the host may itself be waiting to write)
     */
    HostLink(
            InputStream in,
            OutputStream out,
            JsonMapper json,
            int maxLineBytes,
            Duration requestTimeout,
            ScheduledExecutorService timer,
            Executor answers,
            Peer peer,
            String name) {
        this.in = in;
        this.out = out;
        this.json = json;
        this.maxLineBytes = maxLineBytes;
        this.requestTimeout = requestTimeout;
        this.timer = timer;
        this.answers = answers;
        this.peer = peer;
        this.name = name;
    }

    /** Starts the reader thread. */
    void start() {
        Thread.ofPlatform().daemon().name(name + "-reader").start(this::readLoop);
    }

    /** Sends a request; the future completes with its result, or fails with {@link HostRequestException}. */
    CompletableFuture<JsonNode> request(String op, ObjectNode fields) {
        long id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        if (ended.get()) {
            return CompletableFuture.failedFuture(
                    new HostRequestException("closed", "the Baileys host is not running"));
        }
        pending.put(id, answer);
        ObjectNode message = fields.deepCopy();
        message.put("t", "req");
        message.put("id", id);
        message.put("op", op);
        var timeout = timer.schedule(
                () -> fail(
                        id,
                        new HostRequestException(
                                "timeout",
                                "the Baileys host did not answer " + op + " within " + requestTimeout.toMillis()
                                        + " ms")),
                requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        answer.whenComplete((r, e) -> timeout.cancel(false));
        if (!send(message)) {
            fail(
                    id,
                    new HostRequestException(
                            "too_large",
                            "could not send " + op + " (longer than " + maxLineBytes + " bytes, or the host is gone)"));
        } else if (ended.get()) {
            fail(id, new HostRequestException("closed", "the Baileys host stopped")); // it ended while this was sent
        }
        return answer;
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    JsonMapper json() {
        return json;
    }

    /** Writes one line; false when it is too long to send (and was not sent) or the link is broken. */
    boolean send(ObjectNode message) {
        byte[] line = json.writeValueAsBytes(message);
        if (line.length > maxLineBytes) {
            log.error(
                    "Not sending a {} of {} bytes to the Baileys host: longer than {} bytes",
                    message.path("t").asString(),
                    line.length,
                    maxLineBytes);
            return false;
        }
        synchronized (out) {
            try {
                out.write(line);
                out.write('\n');
                out.flush();
                return true;
            } catch (IOException e) {
                log.debug("Writing to the Baileys host failed: {}", e.toString());
                return false;
            }
        }
    }

    private void readLoop() {
        BoundedLineReader reader = new BoundedLineReader(in, maxLineBytes);
        try {
            String line;
            while ((line = reader.next(bytes -> log.warn(
                            "Dropped a line of {} bytes from the Baileys host: longer than {} bytes",
                            bytes,
                            maxLineBytes)))
                    != null) {
                dispatch(line);
            }
        } catch (IOException e) {
            log.debug("Reading from the Baileys host ended: {}", e.toString());
        } finally {
            end();
        }
    }

    /** Handles one line; never throws, whatever the line holds. */
    void dispatch(String line) {
        if (line.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JacksonException e) {
            log.warn(
                    "Dropped a malformed line from the Baileys host ({} characters): {}",
                    line.length(),
                    e.getOriginalMessage());
            return;
        }
        if (!(node instanceof ObjectNode message)) {
            log.warn("Dropped a line from the Baileys host that is not a JSON object");
            return;
        }
        try {
            String type = message.path("t").asString("");
            JsonNode id = message.get("id");
            switch (type) {
                case "res" -> {
                    if (id != null && id.canConvertToLong()) {
                        settle(id.asLong(), message);
                    } else {
                        log.warn("Dropped an answer from the Baileys host without an id");
                    }
                }
                case "req" -> {
                    if (id != null
                            && id.canConvertToLong()
                            && message.path("op").isString()) {
                        serve(id.asLong(), message);
                    } else {
                        log.warn("Dropped a request from the Baileys host without an id or op");
                    }
                }
                case "evt" -> peer.onEvent(message);
                case "log" -> peer.onLog(message);
                default ->
                    log.warn("Dropped a line from the Baileys host with an unknown shape (t={})", abbreviate(type));
            }
        } catch (RuntimeException e) {
            log.error("Handling a line from the Baileys host failed; dropped it", e);
        }
    }

    private void settle(long id, ObjectNode message) {
        CompletableFuture<JsonNode> answer = pending.remove(id);
        if (answer == null) {
            log.debug("An answer to request {} came after it was given up", id);
            return;
        }
        if (message.path("ok").asBoolean(false)) {
            JsonNode result = message.get("result");
            answer.complete(result == null ? json.createObjectNode() : result);
        } else {
            JsonNode error = message.path("error");
            answer.completeExceptionally(new HostRequestException(
                    error.path("code").asString("failed"),
                    error.path("message").asString("the Baileys host refused the request")));
        }
    }

    private void serve(long id, ObjectNode message) {
        String op = message.path("op").asString();
        CompletableFuture<JsonNode> work;
        try {
            work = peer.onRequest(op, message);
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        work.whenCompleteAsync(
                (result, error) -> {
                    ObjectNode answer = json.createObjectNode();
                    answer.put("t", "res");
                    answer.put("id", id);
                    if (error == null) {
                        answer.put("ok", true);
                        answer.set("result", result == null ? json.createObjectNode() : result);
                    } else {
                        Throwable cause =
                                error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                                        ? error.getCause()
                                        : error;
                        answer.put("ok", false);
                        ObjectNode e = answer.putObject("error");
                        e.put("code", cause instanceof HostRequestException h ? h.code() : "failed");
                        e.put("message", String.valueOf(cause.getMessage()));
                        if (!(cause instanceof HostRequestException)) {
                            log.error("Serving {} for the Baileys host failed", op, cause);
                        }
                    }
                    if (!send(answer)) {
                        ObjectNode tooLarge = json.createObjectNode();
                        tooLarge.put("t", "res");
                        tooLarge.put("id", id);
                        tooLarge.put("ok", false);
                        tooLarge.putObject("error")
                                .put("code", "too_large")
                                .put("message", "the answer to " + op + " is too large");
                        send(tooLarge);
                    }
                },
                answers);
    }

    private void fail(long id, HostRequestException e) {
        CompletableFuture<JsonNode> answer = pending.remove(id);
        if (answer != null) {
            answer.completeExceptionally(e);
        }
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        for (Long id : pending.keySet()) {
            fail(id, new HostRequestException("closed", "the Baileys host stopped"));
        }
        peer.onEnd();
    }

    private static String abbreviate(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
