package dev.linkwell.service.cluster;

import dev.linkwell.protocol.time.Scheduler;
import dev.linkwell.service.session.SessionLeases;
import dev.linkwell.service.storage.postgres.PostgresLeases;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the sessions that should run over the live nodes (ADR 0015). Every {@link ClusterProperties#claimInterval()}
 * a node computes its share, the sessions that should run divided by the live nodes, rounded up; below it, it
 * claims sessions no node runs (those of a node that died or stopped, and all of them at the first start), and
 * above it, with rebalancing on, it hands one open session over to the others. Both are bounded by a
 * {@link ClaimBudget}, so a failover of many sessions is not a reconnect storm.
 */
final class Balancer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Balancer.class);

    private final SessionLeases sessions;
    private final ClusterOwnership ownership;
    private final PostgresLeases leases;
    private final String node;
    private final ClaimBudget budget;
    private final boolean rebalance;
    private final Scheduler scheduler;
    private final ClusterProperties properties;
    private volatile Scheduler.Timer timer;

    Balancer(
            SessionLeases sessions,
            ClusterOwnership ownership,
            PostgresLeases leases,
            LeaseBook book,
            ClaimBudget budget,
            ClusterProperties properties,
            Scheduler scheduler) {
        this.sessions = sessions;
        this.ownership = ownership;
        this.leases = leases;
        this.node = book.node();
        this.budget = budget;
        this.rebalance = properties.rebalance();
        this.scheduler = scheduler;
        this.properties = properties;
    }

    /** Once the application is ready: its first round takes up the sessions that were running. */
    synchronized void start() {
        if (timer == null) {
            timer = scheduler.every(properties.claimInterval(), this::round);
        }
    }

    void round() {
        if (!sessions.acceptingSessions()) {
            return;
        }
        try {
            PostgresLeases.Load load = leases.load(node);
            int share = Math.ceilDiv(load.running(), Math.max(1, load.nodes()));
            int room = share - load.mine();
            if (room > 0) {
                claim(room);
            } else if (room < 0
                    && rebalance
                    && budget.take(1) == 1
                    && sessions.handOverOne().isEmpty()) {
                budget.refund(1);
            }
        } catch (RuntimeException e) {
            log.warn("Cannot look for sessions to take up: {}", e.toString());
        }
    }

    private void claim(int room) {
        int granted = budget.take(room);
        if (granted == 0) {
            return;
        }
        List<String> candidates = leases.claimable(granted);
        int taken = 0;
        for (String id : candidates) {
            if (ownership.acquire(id)) {
                taken++;
                sessions.adopt(id);
            }
        }
        budget.refund(granted - taken);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
