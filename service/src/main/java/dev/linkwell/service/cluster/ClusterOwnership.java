package dev.linkwell.service.cluster;

import dev.linkwell.protocol.time.Scheduler;
import dev.linkwell.service.session.SessionOwnership;
import dev.linkwell.service.storage.postgres.PostgresLeases;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the leases (ADR 0015): takes them ({@link #acquire}), confirms one before a socket opens,
 * gives them back, and every {@link ClusterProperties#renewInterval()} writes the node's heartbeat and renews every
 * lease it holds in one statement. A lease the database did not renew went to another node, and one the node could
 * not renew in time (the database unreachable, the process paused) it no longer counts on: either way the
 * {@link #onLost} listener hears of it, on a thread of its own, and the session closes here without a write.
 */
final class ClusterOwnership implements SessionOwnership, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterOwnership.class);

    private final PostgresLeases leases;
    private final LeaseBook book;
    private final ClusterProperties properties;
    private final InstantSource clock;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("lease-lost").daemon().factory());
    private final Scheduler.Timer keeper;
    private volatile Consumer<String> listener = id -> {};
    private volatile String url;

    /** {@code clock}: the book's (monotonic in production); {@code scheduler} runs the renewals. */
    ClusterOwnership(
            PostgresLeases leases,
            LeaseBook book,
            ClusterProperties properties,
            Scheduler scheduler,
            InstantSource clock) {
        this.leases = leases;
        this.book = book;
        this.properties = properties;
        this.clock = clock;
        this.url = properties.advertisedUrl();
        book.onLost(id -> callbacks.execute(() -> listener.accept(id)));
        heartbeat();
        this.keeper = scheduler.every(properties.renewInterval(), this::renew);
    }

    /** Where the other nodes forward calls to this one, once the web server knows its port. */
    void advertise(String advertisedUrl) {
        if (properties.advertisedUrl() == null) {
            this.url = advertisedUrl;
        }
        heartbeat();
    }

    String url() {
        return url;
    }

    /** One keeper round: the heartbeat, the leases no longer counted on, the renewal of the rest. */
    void renew() {
        heartbeat();
        book.expire();
        Map<String, Long> asked = book.snapshot();
        if (asked.isEmpty()) {
            return;
        }
        Instant at = clock.instant();
        try {
            book.renewed(asked, leases.renew(book.node(), asked, properties.leaseTtl()), at);
        } catch (RuntimeException e) {
            log.warn(
                    "Cannot renew the leases of {} sessions ({}); their sockets close if that lasts {}",
                    asked.size(),
                    e.toString(),
                    properties.leaseTtl().minus(properties.safetyMargin()));
        }
    }

    private void heartbeat() {
        try {
            leases.heartbeat(book.node(), url, properties.leaseTtl());
        } catch (RuntimeException e) {
            log.warn("Cannot write this node's heartbeat: {}", e.toString());
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean holds(String sessionId) {
        return book.holds(sessionId);
    }

    @Override
    public boolean acquire(String sessionId) {
        if (book.holds(sessionId)) {
            return true;
        }
        Instant at = clock.instant();
        OptionalLong epoch = leases.claim(sessionId, book.node(), properties.leaseTtl());
        if (epoch.isEmpty()) {
            return false;
        }
        book.took(sessionId, epoch.getAsLong(), at);
        log.debug("Took the lease of session {} (epoch {})", sessionId, epoch.getAsLong());
        return true;
    }

    /** A database that cannot answer confirms nothing: the lease is let go, and whoever claims it next runs it. */
    @Override
    public boolean confirm(String sessionId) {
        Map<String, Long> asked =
                book.lease(sessionId).map(l -> Map.of(sessionId, l.epoch())).orElse(Map.of());
        if (asked.isEmpty()) {
            return false;
        }
        Instant at = clock.instant();
        try {
            Map<String, Long> renewed = leases.renew(book.node(), asked, properties.leaseTtl());
            book.renewed(asked, renewed, at);
            return renewed.containsKey(sessionId);
        } catch (RuntimeException e) {
            log.warn("Cannot confirm the lease of session {}: {}", sessionId, e.toString());
            book.remove(sessionId);
            return false;
        }
    }

    @Override
    public void release(String sessionId) {
        book.remove(sessionId).ifPresent(epoch -> giveBack(Map.of(sessionId, epoch)));
    }

    @Override
    public void releaseAll() {
        giveBack(book.removeAll());
    }

    private void giveBack(Map<String, Long> released) {
        try {
            leases.release(book.node(), released);
        } catch (RuntimeException e) {
            log.warn(
                    "Cannot give {} leases back; other nodes take them when they expire: {}",
                    released.size(),
                    e.toString());
        }
    }

    @Override
    public void onLost(Consumer<String> listener) {
        this.listener = listener;
    }

    /** Stops renewing (the sessions are closed and their leases given back by then) and leaves the node table. */
    @Override
    public void close() {
        keeper.cancel();
        callbacks.shutdown();
        try {
            leases.leave(book.node());
        } catch (RuntimeException e) {
            log.warn(
                    "Cannot remove this node's row; the others count it dead when its heartbeat expires: {}",
                    e.toString());
        }
    }
}
