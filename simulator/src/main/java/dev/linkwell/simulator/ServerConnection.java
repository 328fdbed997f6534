package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.ActorTimers;
import dev.linkwell.protocol.conn.Mailbox;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.conn.NoiseSocket;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.time.Scheduler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, as an actor: WebSocket callbacks, timers and API commands are tasks of one
 * {@link Mailbox}, so the flows it is made of ({@link ServerHandshake}, {@link QrPairingFlow},
 * {@link CodePairingFlow}, {@link PairSuccessFlow}, {@link LoginFlow}, {@link ServerPreKeys},
 * {@link DeliveryHandler}, {@link Liveness}) hold no lock. After the handshake every node the client sends
 * goes through the simulator's {@link Dispatcher}; the WhatsApp behaviour is the {@link NodeRouter} built here.
 */
final class ServerConnection {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    /** How long an API command waits for the connection to run it. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    enum Stage {
        AWAIT_HELLO,
        AWAIT_FINISH,
        HANDSHAKE_DONE,
        PAIRING,
        PAIR_SENT,
        LOGGED_IN,
        CLOSED
    }

    private final long id;
    private final WebSocket ws;
    private final ServerParts server;
    private final Mailbox mailbox;
    private final NodeRouter router;
    private final NoiseSocket noise;
    private final ActorTimers timers;
    private final ServerHandshake handshake;
    final QrPairingFlow qrPairing;
    final CodePairingFlow codePairing;
    final PairSuccessFlow pairSuccess;
    final LoginFlow login;
    final Liveness liveness;
    private volatile Stage stage = Stage.AWAIT_HELLO;
    private volatile String deviceJid;
    private volatile boolean silenced;
    private Instant lastInbound;
    private ClientPayload payload;
    private byte[] clientStaticKey;
    private int tag;

    ServerConnection(long id, WebSocket ws, ServerParts server) {
        this.id = id;
        this.ws = ws;
        this.server = server;
        this.mailbox = new Mailbox(server.workers(), this::failed);
        this.timers = new ActorTimers(server.scheduler(), this::run);
        this.router = new NodeRouter(server.scheduler(), this::run);
        this.noise = NoiseSocket.responder(ws::send);
        this.lastInbound = server.scheduler().now();
        this.handshake = new ServerHandshake(this);
        this.pairSuccess = new PairSuccessFlow(this);
        this.qrPairing = new QrPairingFlow(this);
        this.codePairing = new CodePairingFlow(this);
        this.liveness = new Liveness(this);
        this.login = new LoginFlow(this, liveness);
        routes();
    }

    /** The WhatsApp behaviour, by tag / type / xmlns / first child. */
    private void routes() {
        router.on("iq")
                .type(Iq.GET)
                .xmlns("w:p")
                .child("ping")
                .to(iq -> send(Iq.serverResult(iq)))
                .on("iq")
                .type(Iq.GET)
                .xmlns("urn:xmpp:ping")
                .to(iq -> send(Iq.serverResult(iq)))
                .on("iq")
                .type(Iq.SET)
                .xmlns("passive")
                .child("active")
                .to(iq -> send(Iq.serverResult(iq)))
                .on("iq")
                .type(Iq.SET)
                .xmlns("passive")
                .child("passive")
                .to(iq -> send(Iq.serverResult(iq)))
                .on("iq")
                .type(Iq.SET)
                .xmlns("md")
                .child("remove-companion-device")
                .to(this::onLogout);
        new ServerPreKeys(this).register(router);
        codePairing.register(router);
        new DeliveryHandler(this, login).register(router);
        new MessageRelay(this).register(router);
        // answers to our pair-device and pings need nothing more; pair-device-sign is awaited by PairSuccessFlow
        router.on("iq")
                .type(Iq.RESULT)
                .to(node -> {})
                .on("iq")
                .type(Iq.ERROR)
                .to(node -> {})
                .on("iq")
                .to(iq -> send(server.queries()
                        .answer(iq, deviceJid)
                        .orElseGet(() -> Iq.serverError(iq, 501, "feature-not-implemented"))));
    }

    private void onLogout(Node iq) {
        send(Iq.serverResult(iq));
        if (deviceJid != null) {
            server.sim().forgetDevice(deviceJid, "client logged out");
        }
    }

    // ---------------------------------------------------------------- what the flows share

    long id() {
        return id;
    }

    ServerParts server() {
        return server;
    }

    SimulatorConfig config() {
        return server.config();
    }

    NodeRouter router() {
        return router;
    }

    NoiseSocket noise() {
        return noise;
    }

    Stage stage() {
        return stage;
    }

    void stage(Stage next) {
        stage = next;
    }

    String deviceJid() {
        return deviceJid;
    }

    void loggedIn(String jid) {
        deviceJid = jid;
        stage = Stage.LOGGED_IN;
    }

    boolean silenced() {
        return silenced;
    }

    void silence() {
        silenced = true;
    }

    Instant now() {
        return server.scheduler().now();
    }

    Instant lastInbound() {
        return lastInbound;
    }

    ClientPayload payload() {
        return payload;
    }

    byte[] clientStaticKey() {
        return clientStaticKey;
    }

    void handshakeDone(ClientPayload clientPayload, byte[] staticKey) {
        this.payload = clientPayload;
        this.clientStaticKey = staticKey;
    }

    String nextId() {
        return "sim-" + id + "-" + (++tag);
    }

    SimulatorEvent.Origin origin() {
        return server.recorder().origin(id, deviceJid);
    }

    void event(SimulatorEvent e) {
        server.recorder().event(e);
    }

    // ---------------------------------------------------------------- inbound

    /** A WebSocket message arrived (any part of any frame). */
    void onBytes(ByteBuffer data) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        run(() -> {
            lastInbound = now();
            for (byte[] frame : noise.receive(chunk)) {
                if (stage == Stage.CLOSED) {
                    return;
                }
                if (!noise.secured()) {
                    handshake.onFrame(frame);
                    continue;
                }
                Node node = noise.open(frame);
                try {
                    if (!silenced) {
                        server.dispatcher()
                                .dispatch(new ConnectionExchange(
                                        this,
                                        new Request.Stanza(id, deviceJid, node),
                                        () -> router.route(node),
                                        e -> {}));
                    }
                } finally {
                    // recorded once handled, so a test that takes the node sees its effects
                    server.recorder().node(id, deviceJid, node, frame.length);
                }
            }
        });
    }

    /** The WebSocket closed, whoever closed it. */
    void onSocketClosed() {
        runAlways(() -> {
            stage = Stage.CLOSED;
            timers.cancelAll();
            router.failPending(SimulatorException.conflict("the companion disconnected during pairing"));
            codePairing.connectionClosed();
            server.connections().closed(this);
            event(new SimulatorEvent.Closed(origin()));
        });
    }

    /** Anything unexpected while handling the client's input is a protocol error: that connection closes. */
    private void failed(RuntimeException e) {
        log.warn("connection {}: closing after bad input: {}", id, e.toString());
        event(new SimulatorEvent.ProtocolError(origin(), e.getMessage()));
        close(CloseFrame.PROTOCOL_ERROR, "protocol error");
    }

    // ---------------------------------------------------------------- outbound

    /** Encrypts and sends a node; nothing once the stream ended or while silenced. */
    void send(Node node) {
        if (stage == Stage.CLOSED || silenced || !ws.isOpen()) {
            return;
        }
        try {
            noise.send(node);
            if (stage == Stage.LOGGED_IN && deviceJid != null) {
                server.acks().sent(deviceJid, node);
            }
        } catch (RuntimeException e) {
            log.debug("connection {}: send failed: {}", id, e.toString());
        }
    }

    /**
     * Sends a stream error (or failure) and ends the stream: from now on input is read and dropped, and the
     * WebSocket is closed after {@link WaSimulator#STREAM_END_GRACE} unless the client closed it first (Baileys 7
     * ends its socket on any stream error, Socket/socket.js 'CB:stream:error'; whatsmeow connectionevents.go
     * handleStreamError disconnects itself on 515 and waits for the server's close after replaced and
     * device_removed). Closing at once made Baileys 7 report 428 instead of 515 now and then: it sends an ack
     * and a unified_session ib right after pair-device-sign, data reaching a closed socket draws a TCP reset,
     * and Node handles the reset before the stream error it already received.
     */
    void endStream(Node errorOrFailure) {
        if (stage == Stage.CLOSED) {
            return;
        }
        // timed before the node leaves, so whoever sees the node can count on the close being scheduled
        server.scheduler().schedule(WaSimulator.STREAM_END_GRACE, () -> close(CloseFrame.NORMAL, "stream error"));
        send(errorOrFailure);
        stage = Stage.CLOSED;
    }

    /** Cuts the TCP connection without a WebSocket close. */
    void drop() {
        if (stage != Stage.CLOSED) {
            stage = Stage.CLOSED;
            ws.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by the simulator");
        }
    }

    /** Closes the WebSocket (the stream is over, if it was not already). */
    void close(int code, String reason) {
        stage = Stage.CLOSED;
        try {
            ws.close(code, reason);
        } catch (RuntimeException alreadyClosing) {
            // the client closed first
        }
    }

    /** One frame holding these bytes as a node, decodable or not; silence does not hold it back. */
    void sendRaw(byte[] nodeBytes) {
        noise.sendNodeBytes(nodeBytes);
    }

    /** For commands that need a logged-in connection. */
    void requireLoggedIn() {
        if (stage != Stage.LOGGED_IN) {
            throw SimulatorException.conflict("connection " + id + " is not logged in");
        }
    }

    // ---------------------------------------------------------------- the mailbox

    /** Queues a task; it does not run once the stream ended. */
    void run(Runnable task) {
        runAlways(() -> {
            if (stage != Stage.CLOSED) {
                task.run();
            }
        });
    }

    private void runAlways(Runnable task) {
        try {
            mailbox.execute(task);
        } catch (RejectedExecutionException simulatorClosed) {
            // the simulator is shutting down: nothing more happens on this connection
        }
    }

    /** Runs {@code task} after {@code delay}, unless the stream ended by then. */
    Scheduler.Timer after(Duration delay, Runnable task) {
        return timers.after(delay, task);
    }

    /** Runs {@code task} every {@code period} until the stream ends. */
    void every(Duration period, Runnable task) {
        timers.every(period, task);
    }

    /**
     * Runs an API command in the mailbox and returns its result (or throws its {@link SimulatorException}),
     * whatever the stage: the command checks it.
     */
    <T> T call(Supplier<T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            mailbox.execute(() -> {
                try {
                    result.complete(command.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            throw SimulatorException.conflict("the simulator is closing");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new SimulatorException(504, "connection " + id + " did not run the command in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException(503, "interrupted");
        }
    }

    /** Runs a request through the dispatcher, the WhatsApp behaviour being {@code whatsApp}. */
    void dispatch(Request request, Runnable whatsApp, Consumer<Node> onEndStream) {
        server.dispatcher().dispatch(new ConnectionExchange(this, request, whatsApp, onEndStream));
    }
}
