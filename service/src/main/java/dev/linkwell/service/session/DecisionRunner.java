package dev.linkwell.service.session;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.engine.Engine;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SessionStart;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.session.Decision.Disown;
import dev.linkwell.service.session.Decision.Enter;
import dev.linkwell.service.session.Decision.Forget;
import dev.linkwell.service.session.Decision.Open;
import dev.linkwell.service.session.Decision.Publish;
import dev.linkwell.service.session.Decision.Purge;
import dev.linkwell.service.session.Decision.Reconnect;
import dev.linkwell.service.session.Decision.Release;
import dev.linkwell.service.session.Decision.Save;
import dev.linkwell.service.session.Decision.Step;
import dev.linkwell.service.session.SessionException.Kind;
import dev.linkwell.service.storage.FencedException;
import dev.linkwell.service.storage.SessionStateStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Carries out what a session's state machine ({@link ManagedSession}) decided: storage writes, engine calls, events,
 * reconnects, in order, while the caller holds the session's lock, so one session's decisions and their effects
 * never interleave and it has at most one socket. A failed write runs the decision's fallback and says so; a step
 * that finds the lease gone stops the decision, and the session leaves this node without writing anything more.
 */
@Component
class DecisionRunner {

    private static final Logger log = LoggerFactory.getLogger(DecisionRunner.class);

    private final SessionRegistry registry;
    private final EngineChooser engines;
    private final CredentialStore credentials;
    private final SessionStateStore states;
    private final EventBus events;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final SessionMetrics metrics;
    private final SessionOwnership ownership;
    private final SessionAdmission admission;
    private final Backoff backoff;

    DecisionRunner(
            SessionRegistry registry,
            EngineChooser engines,
            CredentialStore credentials,
            SessionStateStore states,
            EventBus events,
            ScheduledExecutorService sessionScheduler,
            Clock clock,
            SessionMetrics metrics,
            SessionOwnership ownership,
            SessionAdmission admission,
            SessionProperties properties) {
        this.registry = registry;
        this.engines = engines;
        this.credentials = credentials;
        this.states = states;
        this.events = events;
        this.scheduler = sessionScheduler;
        this.clock = clock;
        this.metrics = metrics;
        this.ownership = ownership;
        this.admission = admission;
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffCap(), RandomGenerator.getDefault());
    }

    /** Starts a known session again (boot restore, or taken up from another node); no-op if it already runs. */
    void resume(String sessionId) {
        registry.locked(sessionId, () -> registry.require(sessionId), session -> {
            if (admission.isOpen() && !session.state().isActive()) {
                log.info("Restoring session on boot");
                apply(session, session.resume(clock.instant()));
            }
            return null;
        });
    }

    /**
     * Carries out a decision, in order, under the session's lock (which the caller holds).
     *
     * @throws SessionException STORAGE_FAILED when a write failed (after the decision's fallback ran), UNAVAILABLE
     *                          when the lease went elsewhere (after the session closed here), or UPSTREAM_FAILED when
     *                          the engine could not start (after the session closed)
     */
    void apply(ManagedSession session, Decision decision) {
        for (Step step : decision.steps()) {
            try {
                run(session, step);
            } catch (StorageWriteFailed e) {
                if (e.getCause() instanceof FencedException) {
                    throw moved(session, step, e.getCause());
                }
                log.error("Storage write failed ({}): {}", step.getClass().getSimpleName(), describe(e.getCause()));
                for (Step fallback : decision.ifWriteFails()) {
                    run(session, fallback);
                }
                // The cause names paths on this machine: the log has it, the answer says what the session is now.
                throw new SessionException(
                        Kind.STORAGE_FAILED,
                        "Storage unavailable",
                        "session '" + session.id
                                + "' is " + session.state().status().wireName() + " (reason: "
                                + session.state().reason()
                                + "): the storage root refused a write; see the service log, and retry once it is writable",
                        e.getCause());
            }
        }
    }

    /**
     * A step found that this node no longer holds the session's lease: the rest of the decision does not happen,
     * nor any fallback (they would write); the session closes here and leaves this node.
     */
    private SessionException moved(ManagedSession session, Step step, Throwable cause) {
        log.warn(
                "This node no longer holds the session's lease ({}); closing it here, writing nothing",
                step.getClass().getSimpleName());
        session.cancelPlannedReconnect();
        apply(session, session.fenced(clock.instant()));
        return new SessionException(
                Kind.UNAVAILABLE,
                "Session runs on another node",
                "session '" + session.id + "' is run by another node now; retry, and the call is forwarded to it",
                cause);
    }

    private void run(ManagedSession session, Step step) {
        switch (step) {
            case Enter enter -> session.enter(enter.state());
            case Save save -> write(() -> states.save(save.stored()));
            case Purge purge ->
                write(() -> {
                    credentials.purge(session.id);
                    states.delete(session.id);
                });
            case Publish publish -> publish(session, publish);
            case Open open -> open(session, open.token());
            case Release release -> release(release);
            case Reconnect reconnect -> plan(session, reconnect);
            case Forget forget -> registry.forget(session);
            case Disown disown -> ownership.release(session.id);
        }
    }

    /**
     * An event that cannot be kept (a shared event log that fails) is lost to its streams and webhooks, and the
     * session goes on, as it would with no one listening; one refused because the lease is gone stops the decision.
     */
    private void publish(ManagedSession session, Publish publish) {
        try {
            events.publish(session.id, publish.data());
        } catch (FencedException e) {
            throw new StorageWriteFailed(e);
        } catch (RuntimeException e) {
            log.error("Event {} not published: {}", publish.data().type().wireName(), describe(e));
        }
    }

    /** The exception and its causes on one line, for the log. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    private static void write(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            throw new StorageWriteFailed(e);
        }
    }

    /** A storage step failed; {@link #apply} turns it into the decision's fallback and a STORAGE_FAILED. */
    private static final class StorageWriteFailed extends RuntimeException {
        StorageWriteFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /**
     * Opens the token's socket; an engine that cannot even try closes the session and fails the caller (502). With
     * several nodes, only once the database confirmed the lease is still this node's: a node that was paused past
     * its lease never opens a second socket beside the new owner's.
     */
    private void open(ManagedSession session, SocketToken token) {
        if (!ownership.confirm(session.id)) {
            throw new StorageWriteFailed(new FencedException(session.id));
        }
        Engine engine = engines.resolve(token.provider());
        SessionStart start = new SessionStart(
                session.id, Optional.ofNullable(session.state().stored().phone()));
        EngineSession socket;
        try {
            socket =
                    engine.start(start, credentials, new SocketListener(session, token, this, backoff, metrics, clock));
        } catch (RuntimeException e) {
            // An engine that cannot even try will not do better in a retry loop: report and stop.
            log.error("Engine '{}' failed to start the session", engine.provider(), e);
            apply(session, session.startFailed(token, String.valueOf(e.getMessage()), clock.instant()));
            throw new SessionException(
                    Kind.UPSTREAM_FAILED,
                    "Engine failed",
                    "provider '" + engine.provider() + "' could not start the session: " + e.getMessage(),
                    e);
        }
        if (session.state().socket() == token) {
            token.attach(socket); // dead already if it reported its end during start: then closing it is a no-op
        } else {
            quietly(socket::close, "close"); // abandoned while starting
        }
    }

    private void release(Release release) {
        EngineSession socket = release.token().socket();
        if (socket != null) {
            quietly(release.logout() ? socket::logout : socket::close, release.logout() ? "logout" : "close");
        }
    }

    private void plan(ManagedSession session, Reconnect reconnect) {
        if (reconnect.delay().isZero()) {
            log.info("Restart required; recreating socket");
        } else {
            log.info(
                    "Reconnect attempt {} in {} ms",
                    session.state().attempt(),
                    reconnect.delay().toMillis());
        }
        session.planned(scheduler.schedule(
                () -> {
                    if (!admission.isOpen()) {
                        return;
                    }
                    try {
                        registry.locked(session.id, () -> registry.require(session.id), s -> {
                            apply(s, s.reconnect(reconnect.token(), clock.instant()));
                            return null;
                        });
                    } catch (SessionException e) {
                        SessionMdc.run(session.id, () -> log.error("Reconnect failed: {}", e.getMessage()));
                    }
                },
                reconnect.delay().toMillis(),
                TimeUnit.MILLISECONDS));
    }

    private static void quietly(Runnable action, String what) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("Engine {} failed: {}", what, e.toString());
        }
    }
}
