package dev.linkwell.service.cluster;

import dev.linkwell.service.storage.postgres.Fence;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The leases this node holds, and until when it counts on each: the time it asked for the lease (or its last
 * renewal) plus the lease time, less a safety margin. The database may keep the lease a little longer (it counts
 * from when it ran the statement), so the node stops writing and closes the socket before any other node may take
 * the session. Free of threads and of the database, so its rules are tested with a manual clock; the
 * {@link ClusterOwnership} feeds it.
 *
 * <p>As the {@link Fence} of the PostgreSQL stores it hands out a session's lease only while it counts on it.
 */
final class LeaseBook implements Fence {

    private record Held(long epoch, Instant until) {}

    private final String node;
    private final InstantSource clock;
    private final Duration validity;
    private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
    private volatile Consumer<String> onLost = id -> {};

    /** {@code validity}: how long after asking the node counts on a lease (the lease time less the margin). */
    LeaseBook(String node, InstantSource clock, Duration validity) {
        this.node = node;
        this.clock = clock;
        this.validity = validity;
    }

    /** Who hears of a lease this node lost; called on the thread that found out. */
    void onLost(Consumer<String> listener) {
        this.onLost = listener;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public Optional<Lease> lease(String sessionId) {
        Held h = held.get(sessionId);
        return h != null && clock.instant().isBefore(h.until)
                ? Optional.of(new Lease(node, h.epoch))
                : Optional.empty();
    }

    /** A write found another owner or epoch in the database: the lease is gone. */
    @Override
    public void lost(String sessionId, Lease lease) {
        Held h = held.get(sessionId);
        if (h != null && h.epoch == lease.epoch() && held.remove(sessionId, h)) {
            onLost.accept(sessionId);
        }
    }

    boolean holds(String sessionId) {
        return lease(sessionId).isPresent();
    }

    /** The database gave this node the lease with {@code epoch}, in answer to a request sent at {@code askedAt}. */
    void took(String sessionId, long epoch, Instant askedAt) {
        held.put(sessionId, new Held(epoch, askedAt.plus(validity)));
    }

    /** The leases to renew: session id to epoch. */
    Map<String, Long> snapshot() {
        Map<String, Long> leases = new LinkedHashMap<>();
        held.forEach((id, h) -> leases.put(id, h.epoch));
        return leases;
    }

    /**
     * The outcome of a renewal sent at {@code askedAt} for {@code asked}: those renewed count on for another
     * lease time; those asked for and not renewed went to another node, and are reported lost.
     */
    void renewed(Map<String, Long> asked, Map<String, Long> renewed, Instant askedAt) {
        Instant until = askedAt.plus(validity);
        asked.forEach((id, epoch) -> {
            if (epoch.equals(renewed.get(id))) {
                held.computeIfPresent(
                        id, (k, h) -> h.epoch == epoch && h.until.isBefore(until) ? new Held(epoch, until) : h);
            } else {
                lost(id, new Lease(node, epoch));
            }
        });
    }

    /**
     * Drops the leases this node no longer counts on (no renewal came through in time: the database or the network
     * is down, or the process was paused) and reports them lost: their sockets close before another node may take
     * the sessions.
     */
    List<String> expire() {
        Instant now = clock.instant();
        List<String> expired = new ArrayList<>();
        held.forEach((id, h) -> {
            if (!now.isBefore(h.until) && held.remove(id, h)) {
                expired.add(id);
            }
        });
        expired.forEach(onLost);
        return expired;
    }

    /** Forgets the lease (given back); returns its epoch if this node had it. */
    Optional<Long> remove(String sessionId) {
        Held h = held.remove(sessionId);
        return h == null ? Optional.empty() : Optional.of(h.epoch);
    }

    /** Forgets every lease; returns them, session id to epoch. */
    Map<String, Long> removeAll() {
        Map<String, Long> all = snapshot();
        all.keySet().forEach(held::remove);
        return all;
    }
}
