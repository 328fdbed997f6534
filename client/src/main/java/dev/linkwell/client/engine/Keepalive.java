package dev.linkwell.client.engine;

import java.time.Duration;
import java.time.InstantSource;

/**
 * Keepalive bookkeeping of one connection, free of threads so it can be tested with a fake clock.
 * The owner ({@link KeepaliveHandler}, in the connection's mailbox) calls {@link #tick()} every
 * {@link #tickPeriod()} and {@link #received()} on every inbound frame.
 *
 * <p>Facts: the client pings with {@code <iq xmlns="w:p" type="get" to="s.whatsapp.net"><ping/></iq>}
 * (Baileys socket.js startKeepAliveRequest, whatsmeow keepalive.go sendKeepAlive). Baileys ends the
 * connection when nothing arrived for interval + 5 s; whatsmeow after its pings fail for a while. Here
 * silence longer than {@code deadAfter} ends it, so a dead link is detected within
 * {@code deadAfter + tickPeriod}.
 */
public final class Keepalive {

    /** What the owner must do after a tick. */
    public enum Action {
        NOTHING,
        PING,
        DEAD
    }

    private final InstantSource clock;
    private final long intervalMs;
    private final long deadAfterMs;
    private final long tickMs;
    private long lastReceivedMs;
    private long lastPingMs;

    public Keepalive(InstantSource clock, Duration interval, Duration deadAfter) {
        this.clock = clock;
        this.intervalMs = interval.toMillis();
        this.deadAfterMs = deadAfter.toMillis();
        if (deadAfterMs <= intervalMs) {
            throw new IllegalArgumentException("deadAfter must exceed the ping interval");
        }
        // fine enough that the dead-link bound stays close to deadAfter, coarse enough to cost nothing
        // and a whole fraction of the interval, so pings leave exactly every interval
        long desired = Math.max(50, Math.min(intervalMs, Math.max(1000, deadAfterMs / 4)));
        long ticksPerInterval = (intervalMs + desired - 1) / desired;
        this.tickMs = Math.max(1, intervalMs / ticksPerInterval);
        long now = clock.millis();
        this.lastReceivedMs = now;
        this.lastPingMs = now;
    }

    public Duration tickPeriod() {
        return Duration.ofMillis(tickMs);
    }

    /** Upper bound on the time between the last inbound frame and {@link Action#DEAD}. */
    public Duration detectionBound() {
        return Duration.ofMillis(deadAfterMs + tickMs);
    }

    public void received() {
        lastReceivedMs = clock.millis();
    }

    public Action tick() {
        long now = clock.millis();
        if (now - lastReceivedMs > deadAfterMs) {
            return Action.DEAD;
        }
        if (now - lastPingMs >= intervalMs) {
            lastPingMs = now;
            return Action.PING;
        }
        return Action.NOTHING;
    }

    /** Milliseconds since the last inbound frame. */
    public long silenceMillis() {
        return clock.millis() - lastReceivedMs;
    }
}
