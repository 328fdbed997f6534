package dev.linkwell.service.engine.baileys;

import dev.linkwell.service.engine.SessionMdc;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Supervises the one Node process that hosts every Baileys socket. It is started when the first socket needs it.
 * When it dies, each socket it held reports a dropped connection, so the service reconnects those sessions with its
 * usual backoff and they resume from their stored credentials on a new host; the new host is started no sooner
 * than the restart backoff allows (nothing after a host that ran a minute, then 1 s, 2 s, 4 s... after hosts that
 * kept dying early). Routes what the host sends to the socket it names.
 */
final class BaileysHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BaileysHost.class);
    /** Baileys' own log lines, under a short name users can set a level for. */
    static final Logger BAILEYS_LOG = LoggerFactory.getLogger("baileys");
    /** A host that ran this long counts as healthy: the next restart has no wait. */
    static final Duration STABLE_UPTIME = Duration.ofMinutes(1);

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(2);

    private final NodeRuntime runtime;
    private final BaileysProperties properties;
    private final JsonMapper json;
    private final ObjectNode configuration;
    private final Map<Long, HostedSocket> sockets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("baileys-host-timer").daemon().factory());
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();

    // guarded by this
    private HostProcess current;
    private CompletableFuture<HostProcess> ready;
    private int crashes;
    private long lastExitNanos;
    private int launches;
    private boolean closed;

    /**
     * @param configuration the {@code configure} request every new host gets: target, version, browser, timeouts
     */
    BaileysHost(NodeRuntime runtime, BaileysProperties properties, JsonMapper json, ObjectNode configuration) {
        this.runtime = runtime;
        this.properties = properties;
        this.json = json;
        this.configuration = configuration;
    }

    /** The executor a socket's serial work runs on. */
    ExecutorService work() {
        return work;
    }

    JsonMapper json() {
        return json;
    }

    /** Registers the socket and starts it on the host, starting the host first when none runs. */
    void open(HostedSocket socket) {
        sockets.put(socket.id(), socket);
        CompletableFuture<HostProcess> host;
        synchronized (this) {
            if (closed) {
                socket.hostLost("the service is stopping");
                return;
            }
            host = readyHost();
        }
        host.whenComplete((h, error) -> {
            if (error != null) {
                socket.hostLost("the Baileys host could not be started: " + rootMessage(error));
            } else {
                socket.startOn(h);
            }
        });
    }

    /** Forgets a socket that ended; later lines naming it are dropped. */
    void forget(HostedSocket socket) {
        sockets.remove(socket.id(), socket);
    }

    /** The running host, if any (tests kill it to prove supervision). */
    synchronized HostProcess current() {
        return current;
    }

    int socketCount() {
        return sockets.size();
    }

    /** Called under the monitor: the host that is (or will be) ready, launching or scheduling one when needed. */
    private CompletableFuture<HostProcess> readyHost() {
        if (ready != null && !ready.isCompletedExceptionally()) {
            return ready;
        }
        CompletableFuture<HostProcess> future = new CompletableFuture<>();
        ready = future;
        long waitNanos = restartDelay(crashes, properties.restartBackoffBase(), properties.restartBackoffCap())
                        .toNanos()
                - (System.nanoTime() - lastExitNanos);
        if (crashes == 0 || waitNanos <= 0) {
            work.execute(() -> launch(future));
        } else {
            log.info(
                    "Starting the Baileys host again in {} ms (it died {} time(s) in a row)",
                    TimeUnit.NANOSECONDS.toMillis(waitNanos),
                    crashes);
            timer.schedule(() -> launch(future), waitNanos, TimeUnit.NANOSECONDS);
        }
        return future;
    }

    /**
     * The wait before starting a host again after {@code crashes} hosts in a row died early: none before the
     * first crash, then {@code base}, doubling per crash, at most {@code cap}.
     */
    static Duration restartDelay(int crashes, Duration base, Duration cap) {
        if (crashes <= 0) {
            return Duration.ZERO;
        }
        int doublings = Math.min(crashes - 1, 30);
        long millis = base.toMillis() << doublings;
        return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    private void launch(CompletableFuture<HostProcess> future) {
        HostProcess host;
        synchronized (this) {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("the service is stopping"));
                return;
            }
            try {
                host = HostProcess.launch(
                        runtime,
                        properties.nodeOptions(),
                        this::peerFor,
                        json,
                        properties.maxLineBytes(),
                        properties.requestTimeout(),
                        timer,
                        work,
                        ++launches);
            } catch (IOException e) {
                log.error(
                        "Cannot start the Baileys host ({}): {}",
                        String.join(" ", HostProcess.command(runtime, properties.nodeOptions())),
                        e.getMessage());
                ended(null, future);
                future.completeExceptionally(e);
                return;
            }
            current = host;
        }
        host.link().request("configure", configuration).whenComplete((answer, error) -> {
            if (error != null) {
                log.error("The Baileys host {} refused its configuration: {}", host.number(), rootMessage(error));
                host.destroy();
                future.completeExceptionally(error);
            } else {
                log.info(
                        "Baileys host {} started (pid {}, Node {}, baileys {}, heap limit {} MiB)",
                        host.number(),
                        host.pid(),
                        answer.path("node").asString("?"),
                        answer.path("baileys").asString("?"),
                        answer.path("heapLimit").asLong() >> 20);
                future.complete(host);
            }
        });
    }

    /** Counts a host that ended (or never started) and lets the next {@link #open} start a new one. */
    private synchronized void ended(HostProcess host, CompletableFuture<HostProcess> future) {
        if (host != null && current != host) {
            return;
        }
        current = null;
        if (ready == future || host != null) {
            ready = null;
        }
        boolean stable = host != null && host.uptime().compareTo(STABLE_UPTIME) >= 0;
        crashes = stable ? 0 : crashes + 1;
        lastExitNanos = System.nanoTime();
    }

    private HostLink.Peer peerFor(HostProcess host) {
        return new HostLink.Peer() {
            @Override
            public CompletableFuture<JsonNode> onRequest(String op, ObjectNode message) {
                HostedSocket socket = sockets.get(message.path("socket").asLong(-1));
                if (socket == null) {
                    return CompletableFuture.failedFuture(
                            new HostRequestException("unknown_socket", "no open socket " + message.path("socket")));
                }
                return socket.serve(op, message);
            }

            @Override
            public void onEvent(ObjectNode message) {
                HostedSocket socket = sockets.get(message.path("socket").asLong(-1));
                if (socket == null) {
                    log.debug(
                            "Dropped a {} event of socket {}, which is gone",
                            message.path("event").asString("?"),
                            message.path("socket"));
                    return;
                }
                socket.onEvent(message);
            }

            @Override
            public void onLog(ObjectNode message) {
                HostedSocket socket = message.has("socket")
                        ? sockets.get(message.path("socket").asLong(-1))
                        : null;
                logFromHost(socket, message);
            }

            @Override
            public void onEnd() {
                try {
                    work.execute(() -> hostEnded(host));
                } catch (RejectedExecutionException stopping) {
                    hostEnded(host); // the engine is closing; there is no other thread left to do it on
                }
            }
        };
    }

    private void hostEnded(HostProcess host) {
        boolean stopping;
        synchronized (this) {
            stopping = closed;
            ended(host, null); // first, so sockets opened from now on get a new host
        }
        host.destroy(); // its stdout ended: whatever is left of it is of no use
        String how = host.awaitExit(EXIT_WAIT);
        List<HostedSocket> held =
                sockets.values().stream().filter(s -> s.host() == host).toList();
        if (stopping) {
            log.info("Baileys host {} (pid {}) {}", host.number(), host.pid(), how);
        } else {
            log.warn(
                    "Baileys host {} (pid {}) {} after {} s; its {} socket(s) reconnect and resume from their credentials",
                    host.number(),
                    host.pid(),
                    how,
                    host.uptime().toSeconds(),
                    held.size());
        }
        for (HostedSocket socket : held) {
            socket.hostLost("the Baileys host process " + how);
        }
    }

    private static void logFromHost(HostedSocket socket, ObjectNode message) {
        String level = message.path("level").asString("info");
        String text = message.path("msg").asString("");
        JsonNode detail = message.path("fields").path("detail");
        String line = detail.isString() ? text + " " + detail.asString() : text;
        SessionMdc.run(socket == null ? null : socket.sessionId(), () -> {
            switch (level) {
                case "trace" -> BAILEYS_LOG.trace("{}", line);
                case "debug" -> BAILEYS_LOG.debug("{}", line);
                case "warn" -> BAILEYS_LOG.warn("{}", line);
                case "error" -> BAILEYS_LOG.error("{}", line);
                default -> BAILEYS_LOG.info("{}", line);
            }
        });
    }

    /** Asks the host to end its sockets and exit (bounded), then makes sure it is gone. */
    @Override
    public void close() {
        HostProcess host;
        synchronized (this) {
            closed = true;
            host = current;
        }
        if (host != null) {
            try {
                host.link()
                        .request("shutdown", json.createObjectNode())
                        .get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.debug("The Baileys host did not confirm its shutdown: {}", e.toString());
            }
            host.awaitExit(SHUTDOWN_WAIT);
            host.destroy();
        }
        timer.shutdownNow();
        work.shutdown();
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
