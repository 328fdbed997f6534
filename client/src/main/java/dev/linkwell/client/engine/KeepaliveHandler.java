package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.Ping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness both ways: the client pings every {@link ClientConfig#keepaliveInterval()} and ends the connection
 * ({@code timed_out}) when nothing at all arrived for {@link ClientConfig#deadLinkTimeout()} ({@link Keepalive}
 * keeps the books); the server's own pings are answered at once (whatsmeow connectionevents.go handleIQ).
 */
final class KeepaliveHandler {

    private static final Logger log = LoggerFactory.getLogger(KeepaliveHandler.class);

    private final Connection conn;
    private Keepalive keepalive;

    KeepaliveHandler(Connection conn) {
        this.conn = conn;
    }

    void register(NodeRouter router) {
        router.on("iq")
                .type(Iq.GET)
                .xmlns(Ping.SERVER_XMLNS)
                .to(this::answer)
                .on("iq")
                .type(Iq.GET)
                .child("ping")
                .to(this::answer);
    }

    /** Starts pinging once the handshake is done. */
    void start() {
        ClientConfig config = conn.config();
        keepalive = new Keepalive(conn.runtime().clock(), config.keepaliveInterval(), config.deadLinkTimeout());
        conn.every(keepalive.tickPeriod(), this::tick);
    }

    /** Something arrived: the link is alive. */
    void received() {
        if (keepalive != null) {
            keepalive.received();
        }
    }

    private void tick() {
        switch (keepalive.tick()) {
            case DEAD -> {
                log.warn("no data from the server for {} ms; the link is dead", keepalive.silenceMillis());
                conn.end(Disconnect.of(
                        DisconnectReason.TIMED_OUT,
                        "connection lost: no answer to keepalive pings for " + keepalive.silenceMillis() + " ms"));
            }
            // the answer itself is not needed: any inbound frame counts as life
            case PING -> conn.query(Ping.fromClient(conn.nextId()));
            case NOTHING -> {}
        }
    }

    private void answer(Node ping) {
        conn.send(Iq.clientResult(ping));
    }
}
