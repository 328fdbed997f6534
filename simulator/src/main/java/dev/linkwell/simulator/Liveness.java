package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Ping;
import java.time.Duration;
import java.time.Instant;
import org.java_websocket.framing.CloseFrame;

/**
 * How long a connection may live and when it is dead, on the simulator's clock:
 * <ul>
 *   <li>a connection not logged in within {@link SimulatorConfig#unpairedLifetime()} (counted from the upgrade)
 *       is ended, with {@code <xmlstreamend/>} once the handshake gave it a transport (Baileys
 *       'CB:xmlstreamend': 428);</li>
 *   <li>a logged-in connection gets {@code <iq xmlns="urn:xmpp:ping" type="get">} every
 *       {@link SimulatorConfig#serverPingInterval()} (whatsmeow answers it, Baileys 6.17.16 ignores it, which is
 *       why liveness counts any inbound frame), and is dropped as {@code unresponsive} after sending nothing for
 *       {@link SimulatorConfig#idleTimeout()};</li>
 *   <li>a silenced connection sends nothing, pings included, but the idle rule still watches the client.</li>
 * </ul>
 */
final class Liveness {

    private final ServerConnection conn;
    private Duration tick;
    private Instant lastPing;

    Liveness(ServerConnection conn) {
        this.conn = conn;
        conn.after(conn.config().unpairedLifetime(), this::unpairedLifetimeOver);
    }

    private void unpairedLifetimeOver() {
        ServerConnection.Stage stage = conn.stage();
        if (stage == ServerConnection.Stage.LOGGED_IN) {
            return;
        }
        conn.event(new SimulatorEvent.UnpairedTimeout(
                conn.origin(), "not linked within " + conn.config().unpairedLifetime() + " (" + stage + ")"));
        if (conn.noise().secured()) {
            conn.send(Node.of("xmlstreamend"));
        }
        conn.close(CloseFrame.NORMAL, "not linked in time");
    }

    /**
     * One timer serves both pings and the idle check; it ticks at the ping interval or a quarter of the idle
     * timeout, whichever is shorter, so an idle client is noticed within 1.25 x idleTimeout.
     */
    void startPings() {
        long interval = conn.config().serverPingInterval().toMillis();
        long idle = conn.config().idleTimeout().toMillis();
        long idleCheck = idle > 0 ? Math.max(idle / 4, 10) : Long.MAX_VALUE;
        long period = Math.min(interval > 0 ? interval : Long.MAX_VALUE, idleCheck);
        if (period != Long.MAX_VALUE) {
            tick = Duration.ofMillis(period);
            lastPing = conn.now();
            conn.every(tick, this::tick);
        }
    }

    private void tick() {
        if (conn.stage() != ServerConnection.Stage.LOGGED_IN) {
            return;
        }
        SimulatorConfig config = conn.config();
        Instant now = conn.now();
        long idleMillis = Duration.between(conn.lastInbound(), now).toMillis();
        if (!config.idleTimeout().isZero() && idleMillis > config.idleTimeout().toMillis()) {
            conn.event(new SimulatorEvent.Unresponsive(
                    conn.origin(), conn.deviceJid() + " sent nothing for " + idleMillis + " ms"));
            conn.drop();
            return;
        }
        if (conn.silenced()) {
            return; // the idle check above still ends a connection whose client went quiet too; no pings
        }
        // half a tick of slack: a tick that runs a little late must not push the next ping a whole tick back
        long dueMillis = config.serverPingInterval().toMillis() - tick.toMillis() / 2;
        if (!config.serverPingInterval().isZero()
                && Duration.between(lastPing, now).toMillis() >= dueMillis) {
            lastPing = now;
            conn.send(Ping.fromServer(conn.nextId()));
        }
    }

    /**
     * From now on the connection stays open but the server neither answers nor sends anything on it, as a frozen
     * server would; runs in the connection's mailbox.
     */
    void silence() {
        conn.requireLoggedIn();
        conn.silence();
    }
}
