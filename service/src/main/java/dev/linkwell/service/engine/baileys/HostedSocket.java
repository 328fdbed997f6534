package dev.linkwell.service.engine.baileys;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SendException;
import dev.linkwell.service.engine.SessionMdc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Baileys socket of one session, living in the host. What the host sends about it (events, credential and key
 * requests) is handled in order on its own {@link SerialExecutor}, with the session id in the MDC; events become
 * {@link EngineEvent}s for the service's listener, the last one always {@link EngineEvent.Disconnected}.
 *
 * <p>Writes to the {@link BaileysCredentials} stop for good when the socket ended (the host reports the close only
 * after its writes were answered) or when the service logs it out, so a late write can never bring back the
 * credentials of a session the service just purged.
 */
final class HostedSocket implements EngineSession {

    private static final Logger log = LoggerFactory.getLogger(HostedSocket.class);

    private final long id;
    private final String sessionId;
    private final Optional<String> phone;
    private final String storedCreds;
    private final String versionSent;
    private final EngineListener listener;
    private final BaileysCredentials credentials;
    private final BaileysHost owner;
    private final SerialExecutor serial;
    private final JsonMapper json;
    private final Object writeGate = new Object();

    private volatile HostProcess host;
    // guarded by this
    private boolean stopRequested;
    private String stopOp;
    // guarded by writeGate
    private boolean writesAllowed = true;
    // only touched on the serial executor
    private boolean ended;

    HostedSocket(
            long id,
            String sessionId,
            Optional<String> phone,
            String storedCreds,
            String versionSent,
            EngineListener listener,
            BaileysCredentials credentials,
            BaileysHost owner) {
        this.id = id;
        this.sessionId = sessionId;
        this.phone = phone;
        this.storedCreds = storedCreds;
        this.versionSent = versionSent;
        this.listener = listener;
        this.credentials = credentials;
        this.owner = owner;
        this.json = owner.json();
        this.serial = new SerialExecutor(owner.work());
    }

    long id() {
        return id;
    }

    String sessionId() {
        return sessionId;
    }

    HostProcess host() {
        return host;
    }

    /** Sends {@code start} to the host, unless the service already closed this socket. */
    void startOn(HostProcess process) {
        String pendingStop;
        synchronized (this) {
            host = process;
            pendingStop = stopRequested ? stopOp : null;
        }
        if (pendingStop != null) {
            onSerial(() -> end(Disconnect.of(DisconnectReason.USER_CLOSED, "closed before it started")));
            return;
        }
        ObjectNode start = json.createObjectNode();
        start.put("socket", id);
        if (storedCreds == null) {
            start.putNull("creds");
        } else {
            start.put("creds", storedCreds);
        }
        if (phone.isPresent()) {
            start.put("phone", phone.get());
        } else {
            start.putNull("phone");
        }
        start.put("logLevel", baileysLogLevel());
        process.link().request("start", start).whenComplete((answer, error) -> {
            if (error != null) {
                HostRequestException e = cause(error);
                onSerial(() -> end(startFailure(e)));
            }
        });
    }

    /** The host is gone (or never came up): the connection counts as dropped, so the service reconnects. */
    void hostLost(String detail) {
        onSerial(() -> end(Disconnect.of(DisconnectReason.CONNECTION_CLOSED, detail)));
    }

    void onEvent(ObjectNode message) {
        onSerial(() -> {
            if (ended) {
                log.debug(
                        "Ignoring {} of socket {}: it ended",
                        message.path("event").asString("?"),
                        id);
                return;
            }
            String event = message.path("event").asString("");
            switch (event) {
                case "qr" -> text(message, "qr").ifPresent(qr -> listener.on(new EngineEvent.Qr(qr)));
                case "pairing-code" ->
                    text(message, "code").ifPresent(code -> listener.on(new EngineEvent.PairingCode(code)));
                case "paired" ->
                    listener.on(new EngineEvent.Paired(text(message, "jid").orElse(null)));
                case "open" ->
                    listener.on(new EngineEvent.Opened(text(message, "jid").orElse(null)));
                case "message" -> message(message.path("data"));
                case "close" ->
                    end(BaileysDisconnects.of(
                            message.path("code").isIntegralNumber()
                                    ? message.path("code").asInt()
                                    : null,
                            text(message, "message").orElse(null),
                            serverNode(message.path("node")),
                            versionSent));
                default -> log.warn("Dropped an unknown event '{}' from the Baileys host", abbreviate(event));
            }
        });
    }

    /** A credential or key request from the host, answered on this socket's serial executor. */
    CompletableFuture<JsonNode> serve(String op, ObjectNode message) {
        return switch (op) {
            case "creds.set" ->
                onSerialAnswer(() -> {
                    String creds = requireText(message, "creds");
                    write(() -> credentials.saveCreds(creds));
                    return json.createObjectNode();
                });
            case "keys.get" ->
                onSerialAnswer(() -> {
                    List<String> ids = new ArrayList<>();
                    message.path("ids").forEach(n -> ids.add(n.asString()));
                    ObjectNode answer = json.createObjectNode();
                    ObjectNode values = answer.putObject("values");
                    credentials.get(requireText(message, "type"), ids).forEach(values::put);
                    return answer;
                });
            case "keys.set" ->
                onSerialAnswer(() -> {
                    Map<String, Map<String, String>> data = keyData(message.path("data"));
                    write(() -> credentials.set(data));
                    return json.createObjectNode();
                });
            default ->
                CompletableFuture.failedFuture(new HostRequestException("unknown_op", "no operation '" + op + "'"));
        };
    }

    @Override
    public void close() {
        stop("close");
    }

    @Override
    public void logout() {
        synchronized (writeGate) {
            writesAllowed = false; // the service purges the credentials right after this returns
        }
        stop("logout");
    }

    @Override
    public CompletableFuture<String> sendText(String to, String text) {
        HostProcess process = host;
        if (process == null) {
            return CompletableFuture.failedFuture(
                    new SendException(SendException.Kind.NOT_READY, "the session's Baileys socket is not started yet"));
        }
        ObjectNode send = json.createObjectNode();
        send.put("socket", id);
        send.put("to", to);
        send.put("text", text);
        return process.link().request("send.text", send).handle((answer, error) -> {
            if (error != null) {
                throw sendFailure(cause(error));
            }
            String messageId = answer.path("id").asString("");
            if (messageId.isEmpty()) {
                throw new SendException(SendException.Kind.SERVER_ERROR, "the Baileys host sent no message id");
            }
            return messageId;
        });
    }

    private void stop(String op) {
        HostProcess process;
        synchronized (this) {
            if (stopRequested) {
                return;
            }
            stopRequested = true;
            stopOp = op;
            process = host;
        }
        if (process == null) {
            return; // startOn sees the request and never starts it
        }
        ObjectNode request = json.createObjectNode();
        request.put("socket", id);
        process.link().request(op, request).whenComplete((answer, error) -> {
            if (error != null) {
                onSerial(() -> {
                    log.debug("The Baileys host did not confirm {} of socket {}: {}", op, id, error.getMessage());
                    end(Disconnect.of(DisconnectReason.USER_CLOSED, op + " not confirmed by the host"));
                });
            }
        });
    }

    /** Ends the socket once: no more writes, forgotten by the host, the disconnect reported last. */
    private void end(Disconnect why) {
        if (ended) {
            return;
        }
        ended = true;
        synchronized (writeGate) {
            writesAllowed = false;
        }
        owner.forget(this);
        log.debug("Baileys socket {} ended: {} {} {}", id, why.reason().wireName(), why.code(), why.detail());
        listener.on(new EngineEvent.Disconnected(why));
    }

    private void message(JsonNode data) {
        if (!(data instanceof ObjectNode object)
                || !object.path("id").isString()
                || !object.path("chat").isString()
                || !object.path("from").isString()) {
            log.warn("Dropped a message event from the Baileys host without id, chat and from");
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!field.getValue().isNull()) {
                fields.put(field.getKey(), json.treeToValue(field.getValue(), Object.class));
            }
        }
        listener.on(new EngineEvent.MessageReceived(fields));
    }

    private void write(Runnable change) {
        synchronized (writeGate) {
            if (!writesAllowed) {
                throw new HostRequestException(
                        "closed", "socket " + id + " of session " + sessionId + " ended or logged out; not written");
            }
            change.run();
        }
    }

    private void onSerial(Runnable task) {
        serial.execute(() -> SessionMdc.run(sessionId, task));
    }

    private CompletableFuture<JsonNode> onSerialAnswer(Supplier<JsonNode> work) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        serial.execute(() -> SessionMdc.run(sessionId, () -> {
            try {
                answer.complete(work.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }));
        return answer;
    }

    /** The pino level that shows what the SLF4J logger {@code baileys} lets through. */
    private static String baileysLogLevel() {
        Logger baileys = BaileysHost.BAILEYS_LOG;
        if (baileys.isTraceEnabled()) {
            return "trace";
        }
        if (baileys.isDebugEnabled()) {
            return "debug";
        }
        if (baileys.isInfoEnabled()) {
            return "info";
        }
        return baileys.isWarnEnabled() ? "warn" : "error";
    }

    private static Disconnect startFailure(HostRequestException e) {
        return switch (e.code()) {
            // the host died or hung: a dropped connection, reconnected with backoff
            case "timeout", "closed" ->
                Disconnect.of(
                        DisconnectReason.CONNECTION_CLOSED,
                        "the Baileys host did not start " + "the socket: " + e.getMessage());
            default ->
                Disconnect.of(
                        DisconnectReason.CONNECT_FAILURE,
                        "the Baileys host refused to start the socket: " + e.getMessage());
        };
    }

    private static SendException sendFailure(HostRequestException e) {
        SendException.Kind kind = switch (e.code()) {
            case "not_ready" -> SendException.Kind.NOT_READY;
            case "unknown_number" -> SendException.Kind.UNKNOWN_NUMBER;
            case "bad_recipient" -> SendException.Kind.BAD_RECIPIENT;
            case "timeout" -> SendException.Kind.TIMEOUT;
            case "closed" -> SendException.Kind.ENGINE_UNAVAILABLE;
            default -> SendException.Kind.SERVER_ERROR;
        };
        return new SendException(kind, e.getMessage());
    }

    private static HostRequestException cause(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof HostRequestException h
                ? h
                : new HostRequestException("failed", String.valueOf(t.getMessage()));
    }

    private static Map<String, Map<String, String>> keyData(JsonNode data) {
        if (!data.isObject()) {
            throw new HostRequestException("bad_request", "keys.set needs a data object");
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> byType : data.properties()) {
            if (!byType.getValue().isObject()) {
                throw new HostRequestException(
                        "bad_request", "keys.set data." + byType.getKey() + " must be an object");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : byType.getValue().properties()) {
                JsonNode value = entry.getValue();
                if (!value.isNull() && !value.isString()) {
                    throw new HostRequestException("bad_request", "keys.set values must be strings or null");
                }
                values.put(entry.getKey(), value.isNull() ? null : value.asString());
            }
            out.put(byType.getKey(), values);
        }
        return out;
    }

    /** The server's node as the host summarized it ({@code {tag, attrs, content: [{tag, attrs}]}}), or null. */
    private static Node serverNode(JsonNode node) {
        if (!node.isObject() || !node.path("tag").isString()) {
            return null;
        }
        List<Node> children = new ArrayList<>();
        node.path("content").forEach(child -> {
            if (child.path("tag").isString()) {
                children.add(Node.of(child.path("tag").asString(), attrs(child.path("attrs"))));
            }
        });
        return Node.withChildren(node.path("tag").asString(), attrs(node.path("attrs")), children);
    }

    private static Map<String, String> attrs(JsonNode attrs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (attrs.isObject()) {
            attrs.properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().asString());
                }
            });
        }
        return out;
    }

    private static Optional<String> text(JsonNode message, String field) {
        JsonNode value = message.path(field);
        return value.isString() && !value.asString().isEmpty() ? Optional.of(value.asString()) : Optional.empty();
    }

    private static String requireText(JsonNode message, String field) {
        return text(message, field)
                .orElseThrow(() -> new HostRequestException("bad_request", field + " must be a non-empty string"));
    }

    private static String abbreviate(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
