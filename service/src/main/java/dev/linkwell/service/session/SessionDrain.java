package dev.linkwell.service.session;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Closes sockets that drain first: what an open socket acknowledged until it reports its end is still published,
 * for at most {@link #LIMIT}. On shutdown for every session (then every lease goes back), on a handover for one.
 */
@Component
class SessionDrain {

    private static final Logger log = LoggerFactory.getLogger(SessionDrain.class);
    /** How long a closing socket may take to report its end before its session stops waiting for it. */
    private static final Duration LIMIT = Duration.ofSeconds(3);

    private final SessionRegistry registry;
    private final DecisionRunner runner;
    private final SessionAdmission admission;
    private final SessionOwnership ownership;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    SessionDrain(
            SessionRegistry registry,
            DecisionRunner runner,
            SessionAdmission admission,
            SessionOwnership ownership,
            ScheduledExecutorService sessionScheduler,
            Clock clock) {
        this.registry = registry;
        this.runner = runner;
        this.admission = admission;
        this.ownership = ownership;
        this.scheduler = sessionScheduler;
        this.clock = clock;
    }

    /** The session's socket closed and drains: the session stops waiting for it after {@link #LIMIT}. */
    void limit(ManagedSession session, SocketToken closing) {
        scheduler.schedule(() -> stopDraining(session, closing), LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes every socket on shutdown without touching the desired state, so the next boot restores them: open ones
     * drain first. Then gives every lease back, so other nodes take the sessions up at once rather than after the
     * lease time. Runs as a step of the graceful shutdown, and again, doing nothing more, when the context is
     * destroyed.
     */
    @PreDestroy
    void shutdown() {
        admission.close();
        for (ManagedSession session : registry.all()) {
            session.lock().lock();
            try {
                session.cancelPlannedReconnect();
                runner.apply(session, session.shutdown(clock.instant()));
            } catch (SessionException e) {
                SessionMdc.run(session.id, () -> log.warn("Closing on shutdown: {}", e.getMessage()));
            } finally {
                session.lock().unlock();
            }
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (ManagedSession session : registry.all()) {
            session.awaitDrained(deadline);
            stopDraining(session, session.state().socket());
        }
        ownership.releaseAll();
    }

    /** A closing socket that did not report its end in time: the session stops waiting for it. */
    private void stopDraining(ManagedSession session, SocketToken closing) {
        session.lock().lock();
        try {
            if (session.state().drains(closing)) {
                SessionMdc.run(
                        session.id,
                        () -> log.warn("The closing socket did not report its end in time; closed without it"));
                runner.apply(session, session.drained(clock.instant()));
            }
        } finally {
            session.lock().unlock();
        }
    }
}
