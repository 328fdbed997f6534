package dev.linkwell.client.engine;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.SendFailure;
import dev.linkwell.client.store.CredentialsRepository;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Iq;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection attempt of one session: the native engine's public face. A {@code WaClient} never
 * reconnects: it reports how it ended and the owner decides (the service applies
 * {@link DisconnectReason#action()}). After pairing the server sends 515 and the owner opens a new
 * {@code WaClient}, which logs in with the stored credentials.
 *
 * <p>The connection is an actor ({@link Connection}): this class wires one handler per protocol concern to
 * its router, and every method here only queues a task in its mailbox ({@link #connect()} also waits for
 * its own task, to report unreadable credentials at once). Events reach the listener in order, from the
 * mailbox, never from the caller's thread.
 */
public final class WaClient {

    /** Where the connection stands. */
    public enum State {
        NEW,
        CONNECTING,
        HANDSHAKE,
        AUTHENTICATING,
        PAIRING,
        PAIRED,
        OPEN,
        CLOSED
    }

    private static final Logger log = LoggerFactory.getLogger(WaClient.class);

    private final Connection conn;
    private final Link link;
    private final SendHandler send;

    public WaClient(
            ClientRuntime runtime,
            ClientConfig config,
            String sessionId,
            CredentialStore store,
            Optional<String> phone,
            EngineListener listener) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(listener, "listener");
        this.conn = new Connection(runtime, config, sessionId, new CredentialsRepository(store, sessionId), listener);
        NodeRouter router = conn.router();
        KeepaliveHandler keepalive = new KeepaliveHandler(conn);
        PreKeyHandler preKeys = new PreKeyHandler(conn);
        CodePairingHandler codePairing =
                phone.map(p -> new CodePairingHandler(conn, p)).orElse(null);
        if (codePairing != null) {
            codePairing.register(router);
        } else {
            new QrPairingHandler(conn).register(router);
        }
        new PairSuccessHandler(conn).register(router);
        keepalive.register(router);
        new LoginHandler(conn, preKeys).register(router);
        new StreamEndHandler(conn).register(router);
        new NotificationHandler(preKeys, codePairing == null ? node -> {} : codePairing::onPhoneNotification)
                .register(router);
        new MessageHandler(conn).register(router);
        BundleFetch bundles = new BundleFetch(conn);
        DeviceEncryption encryption = new DeviceEncryption(conn, bundles);
        this.send = new SendHandler(conn, new DeviceLists(conn), encryption);
        send.register(router);
        conn.onEnd(send::connectionEnded);
        new ResendHandler(conn, encryption, bundles).register(router);
        router.on("iq")
                .type(Iq.RESULT)
                .to(WaClient::ignore) // answers nobody waits for any more
                .on("iq")
                .type(Iq.ERROR)
                .to(WaClient::ignore)
                .on("iq")
                .to(conn::notImplemented)
                .otherwise(node -> log.debug("ignored <{}>", node.tag()));
        this.link = new Link(conn, keepalive, new AckHandler(conn));
    }

    public State state() {
        return conn.state();
    }

    public String sessionId() {
        return conn.repository().sessionId();
    }

    /**
     * Starts the one connection attempt; returns once the upgrade started.
     *
     * @throws IllegalStateException when the stored credentials exist but cannot be read, or it was called before
     */
    public void connect() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        boolean queued = conn.runAlways(() -> {
            try {
                link.start();
                started.complete(null);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        if (!queued) {
            throw new IllegalStateException("the engine is shut down");
        }
        try {
            started.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Closes the connection on purpose; reported as {@link DisconnectReason#USER_CLOSED}. Idempotent. */
    public void close() {
        conn.run(() -> conn.end(Disconnect.of(DisconnectReason.USER_CLOSED, "closed by the service")));
    }

    /**
     * Tells the server this companion logs out (Baileys logout: {@code iq xmlns=md
     * <remove-companion-device jid reason="user_initiated"/>}), then ends with LOGGED_OUT.
     */
    public void logout() {
        conn.run(() -> {
            String me = conn.creds() == null ? null : conn.creds().me();
            if (conn.state() == State.OPEN && me != null) {
                conn.send(Iq.toServer(
                        conn.nextId(),
                        Iq.SET,
                        "md",
                        Node.builder("remove-companion-device")
                                .attr("jid", me)
                                .attr("reason", "user_initiated")
                                .build()));
            }
            conn.end(Disconnect.of(DisconnectReason.LOGGED_OUT, "logged out by the service"));
        });
    }

    /**
     * Sends a text message to a user ({@code number@s.whatsapp.net} or {@code lid@lid}, no device) on this connection,
     * to each of its devices and our own other devices.
     *
     * @return completes, off the connection's mailbox, with the message id once the server took the message, or
     *         fails with a {@link SendFailure} saying why not
     */
    public CompletableFuture<String> sendText(String to, String text) {
        Objects.requireNonNull(text, "text");
        CompletableFuture<String> result = new CompletableFuture<>();
        Jid recipient = Jid.tryParse(to);
        if (recipient == null) {
            result.completeExceptionally(new SendFailure(SendFailure.Kind.BAD_RECIPIENT, "not a JID: " + to));
            return result;
        }
        boolean queued = conn.runAlways(() -> {
            if (conn.state() == State.CLOSED) {
                result.completeExceptionally(
                        new SendFailure(SendFailure.Kind.NOT_CONNECTED, "the connection has ended"));
                return;
            }
            send.sendText(recipient, text)
                    .whenCompleteAsync(
                            (id, failure) -> {
                                if (failure != null) {
                                    result.completeExceptionally(failure);
                                } else {
                                    result.complete(id);
                                }
                            },
                            conn.runtime().work());
        });
        if (!queued) {
            result.completeExceptionally(new SendFailure(SendFailure.Kind.NOT_CONNECTED, "the engine is shut down"));
        }
        return result;
    }

    private static void ignore(Node node) {
        // nothing to do
    }
}
