package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.socket.WebSocketTransport;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.client.store.CredentialsRepository;
import dev.linkwell.client.store.LidMap;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.ActorTimers;
import dev.linkwell.protocol.conn.Mailbox;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.conn.NoiseSocket;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One connection attempt of one session, as an actor: socket callbacks, timers, API calls and iq answers
 * all run as tasks of one {@link Mailbox}, so nothing here or in the handlers takes a lock. This class owns
 * what the handlers share (state, credentials, the socket, the router) and the ways out: {@link #send},
 * {@link #query}, {@link #after}, {@link #emit} and {@link #end}.
 *
 * <pre>
 *   CONNECTING -(socket open)-> HANDSHAKE -(serverHello verified, clientFinish sent)-> AUTHENTICATING
 *   AUTHENTICATING -(pair-device)-> PAIRING -(pair-success)-> PAIRED -(515)-> CLOSED
 *   AUTHENTICATING -(success)-> OPEN
 *   any -(stream error, failure, socket end, dead link, close())-> CLOSED (reported once)
 * </pre>
 *
 * Listener calls run in the mailbox too, one at a time and in order. They may block (the service takes
 * its per-session lock there); the service's own calls into the client ({@code close()}, {@code logout()})
 * only queue a task, so neither side waits for the other.
 */
final class Connection {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final ClientRuntime runtime;
    private final ClientConfig config;
    private final String sessionId;
    private final CredentialsRepository repository;
    private final EngineListener listener;
    private final Mailbox mailbox;
    private final NodeRouter router;
    private final ActorTimers timers;
    private final List<Runnable> endHooks = new ArrayList<>();
    private final String idPrefix;
    private long idCounter;

    private volatile WaClient.State state = WaClient.State.NEW;
    private Credentials creds;
    private LidMap lidMap;
    private Signal signal;
    private WebSocketTransport socket;
    private NoiseSocket noise;

    Connection(
            ClientRuntime runtime,
            ClientConfig config,
            String sessionId,
            CredentialsRepository repository,
            EngineListener listener) {
        this.runtime = runtime;
        this.config = config;
        this.sessionId = sessionId;
        this.repository = repository;
        this.listener = listener;
        this.mailbox = new Mailbox(runtime.work(), failure -> withMdc(() -> failed(failure)));
        this.timers = new ActorTimers(runtime.scheduler(), this::run);
        this.router = new NodeRouter(runtime.scheduler(), this::run);
        // Baileys generateMdTagPrefix: two random 16-bit numbers, then a counter
        this.idPrefix = runtime.random().nextInt(65536) + "." + runtime.random().nextInt(65536) + "-";
    }

    // ---------------------------------------------------------------- what handlers share

    ClientConfig config() {
        return config;
    }

    ClientRuntime runtime() {
        return runtime;
    }

    CredentialsRepository repository() {
        return repository;
    }

    NodeRouter router() {
        return router;
    }

    WaClient.State state() {
        return state;
    }

    void state(WaClient.State next) {
        state = next;
    }

    Credentials creds() {
        return creds;
    }

    void creds(Credentials next) {
        creds = next;
    }

    LidMap lidMap() {
        return lidMap;
    }

    void lidMap(LidMap map) {
        lidMap = map;
    }

    /** The device's Signal store and ciphers; set once the credentials are loaded, before the socket opens. */
    Signal signal() {
        return signal;
    }

    void signal(Signal opened) {
        signal = opened;
    }

    NoiseSocket noise() {
        return noise;
    }

    /** Plugs in the socket and its Noise framing before the upgrade starts. */
    void attach(WebSocketTransport transport, NoiseSocket framing) {
        this.socket = transport;
        this.noise = framing;
    }

    WebSocketTransport socket() {
        return socket;
    }

    String nextId() {
        return idPrefix + (++idCounter);
    }

    // ---------------------------------------------------------------- ways out

    /** Encrypts and sends one node; nothing once the connection ended or before the handshake is done. */
    void send(Node node) {
        if (state == WaClient.State.CLOSED || noise == null || !noise.secured()) {
            return;
        }
        if (log.isTraceEnabled()) {
            log.trace("send <{}>", node.tag());
        }
        noise.send(node);
    }

    /** Sends an iq and returns its future answer (result or error), or a failure after the iq timeout. */
    CompletableFuture<Node> query(Node iq) {
        CompletableFuture<Node> answer = router.expect(iq.attr("id"), config.iqTimeout());
        send(iq);
        return answer;
    }

    /**
     * Runs {@code then} in the mailbox once {@code answer} completes, unless the connection ended by then; an
     * exception it throws ends the connection like any other failed task.
     */
    void whenAnswered(CompletableFuture<Node> answer, BiConsumer<Node, Throwable> then) {
        answer.whenComplete((node, failure) -> run(() -> then.accept(node, failure)));
    }

    /** Runs {@code task} in the mailbox after {@code delay}, unless the connection ended by then. */
    Scheduler.Timer after(Duration delay, Runnable task) {
        return timers.after(delay, task);
    }

    /** Runs {@code task} every {@code period} until the connection ends. */
    void every(Duration period, Runnable task) {
        timers.every(period, task);
    }

    /** Tells the owner; listener failures are logged, never thrown at the protocol. */
    void emit(EngineEvent event) {
        try {
            listener.on(event);
        } catch (RuntimeException e) {
            log.error("session listener failed", e);
        }
    }

    /** Runs {@code hook} in the mailbox when the connection ends, before the end is reported. */
    void onEnd(Runnable hook) {
        endHooks.add(hook);
    }

    /** Ends the connection once, and reports why; later calls do nothing. */
    void end(Disconnect why) {
        if (state == WaClient.State.CLOSED) {
            return;
        }
        state = WaClient.State.CLOSED;
        timers.cancelAll();
        router.failPending(new IllegalStateException("connection ended"));
        endHooks.forEach(Runnable::run);
        if (socket != null) {
            socket.close();
        }
        if (why.reason() == DisconnectReason.USER_CLOSED || why.reason() == DisconnectReason.RESTART_REQUIRED) {
            log.info("connection ended: {} ({})", why.reason().wireName(), why.detail());
        } else {
            log.warn("connection ended: {} ({})", why.reason().wireName(), why.detail());
        }
        emit(new EngineEvent.Disconnected(why));
    }

    /** The server asked something nobody here handles: answer 501 rather than leave it waiting. */
    void notImplemented(Node iq) {
        log.debug("unhandled iq {} xmlns={}", iq.attr("type"), iq.attr("xmlns"));
        if (iq.attr("id") != null) {
            send(Iq.clientError(iq.attr("id"), iq.attrOr("from", null), 501, "feature-not-implemented"));
        }
    }

    // ---------------------------------------------------------------- the mailbox

    /** Queues a task; it runs with the session id in the MDC, and not at all once the connection ended. */
    void run(Runnable task) {
        runAlways(() -> {
            if (state != WaClient.State.CLOSED) {
                task.run();
            }
        });
    }

    /**
     * Queues a task that runs even after the end (API calls that report their own outcome); false when the
     * engine was shut down and nothing runs any more.
     */
    boolean runAlways(Runnable task) {
        try {
            mailbox.execute(() -> withMdc(task));
            return true;
        } catch (RejectedExecutionException shutDown) {
            log.debug("engine shut down; task dropped");
            return false;
        }
    }

    /** An unexpected failure in a task ends the connection. */
    private void failed(RuntimeException e) {
        log.warn("protocol error: {}", e.toString());
        log.debug("protocol error detail", e);
        end(Disconnect.of(DisconnectReason.UNKNOWN, "protocol error: " + e.getMessage()));
    }

    void withMdc(Runnable r) {
        String previous = MDC.get("sessionId");
        MDC.put("sessionId", sessionId);
        try {
            r.run();
        } finally {
            if (previous == null) {
                MDC.remove("sessionId");
            } else {
                MDC.put("sessionId", previous);
            }
        }
    }
}
