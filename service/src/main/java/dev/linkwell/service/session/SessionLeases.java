package dev.linkwell.service.session;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.session.SessionException.Kind;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StoredSession;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What this node does as sessions' leases come and go ({@link SessionOwnership}; with file storage every session is
 * its own and nothing here happens). It takes a session up when it gets its lease ({@link #adopt}, or a call about a
 * session no node runs), gives one away to spread the load ({@link #handOverOne}), and drops a session whose lease it
 * lost without writing anything more of it.
 */
@Component
public class SessionLeases {

    private static final Logger log = LoggerFactory.getLogger(SessionLeases.class);

    private final SessionRegistry registry;
    private final DecisionRunner runner;
    private final SessionDrain drain;
    private final SessionOwnership ownership;
    private final SessionStateStore states;
    private final CredentialStore credentials;
    private final SessionAdmission admission;
    private final Clock clock;

    SessionLeases(
            SessionRegistry registry,
            DecisionRunner runner,
            SessionDrain drain,
            SessionOwnership ownership,
            SessionStateStore states,
            CredentialStore credentials,
            SessionAdmission admission,
            Clock clock) {
        this.registry = registry;
        this.runner = runner;
        this.drain = drain;
        this.ownership = ownership;
        this.states = states;
        this.credentials = credentials;
        this.admission = admission;
        this.clock = clock;
        ownership.onLost(this::lost);
    }

    /** False once shutdown began: no session should be taken up any more. */
    public boolean acceptingSessions() {
        return admission.isOpen();
    }

    /**
     * Takes up a session whose lease this node just took (another node stopped or gave it away): known from
     * storage, and started again if it should run and has credentials, so it comes back without a QR. A session
     * that is not stored (removed meanwhile) is given back.
     */
    public void adopt(String sessionId) {
        Optional<StoredSession> stored;
        try {
            stored = states.load(sessionId);
        } catch (RuntimeException e) {
            SessionMdc.run(sessionId, () -> log.error("Cannot take up the session: {}", e.toString()));
            ownership.release(sessionId);
            return;
        }
        if (stored.isEmpty()) {
            ownership.release(sessionId);
            return;
        }
        registry.register(stored.get());
        if (stored.get().desiredRunning() && credentials.exists(sessionId)) {
            SessionMdc.run(sessionId, () -> log.info("Taking up the session from another node"));
            runner.resume(sessionId);
        }
    }

    /**
     * Rebalancing: gives one open session of this node to another (closes its socket, then its lease goes).
     *
     * @return the session handed over, if this node had an open one
     */
    public Optional<String> handOverOne() {
        for (ManagedSession session : registry.all()) {
            if (session.state().status() == SessionStatus.READY && handOver(session)) {
                return Optional.of(session.id);
            }
        }
        return Optional.empty();
    }

    private boolean handOver(ManagedSession session) {
        session.lock().lock();
        try {
            if (!admission.isOpen() || !registry.isCurrent(session)) {
                return false;
            }
            Decision decision = session.handOver(clock.instant());
            if (decision.isNone()) {
                return false;
            }
            SessionMdc.run(session.id, () -> log.info("Handing the session over to another node"));
            session.cancelPlannedReconnect();
            runner.apply(session, decision);
            drain.limit(session, session.state().socket());
            return true;
        } finally {
            session.lock().unlock();
        }
    }

    /** The lease went elsewhere: the session closes here without writing and leaves this node. */
    private void lost(String sessionId) {
        registry.find(sessionId).ifPresent(session -> {
            session.lock().lock();
            try {
                if (registry.isCurrent(session)) {
                    SessionMdc.run(
                            sessionId,
                            () -> log.warn("This node lost the session's lease; closing it here, writing nothing"));
                    session.cancelPlannedReconnect();
                    runner.apply(session, session.fenced(clock.instant()));
                }
            } finally {
                session.lock().unlock();
            }
        });
    }

    /** Several nodes: a stored session no node runs (its node stopped) is taken up here for a call about it. */
    void takeUpIfStored(String sessionId) {
        if (!registry.contains(sessionId)
                && ownership.shared()
                && states.load(sessionId).isPresent()) {
            own(sessionId);
            adopt(sessionId);
        }
    }

    /**
     * Several nodes: makes the session this node's before a call changes it. A session no node runs is taken (its
     * stored state with it); one another node runs is refused (the API forwards calls to that node first, so this
     * happens only in a race).
     */
    void own(String sessionId) {
        if (!ownership.shared() || (registry.contains(sessionId) && ownership.holds(sessionId))) {
            return;
        }
        boolean acquired;
        try {
            acquired = ownership.acquire(sessionId);
        } catch (RuntimeException e) {
            log.error("Cannot take the lease of session {}: {}", sessionId, DecisionRunner.describe(e));
            throw new SessionException(
                    Kind.STORAGE_FAILED,
                    "Storage unavailable",
                    "session '" + sessionId + "' cannot be taken up: the database does not answer; see the service log",
                    e);
        }
        if (!acquired) {
            throw new SessionException(
                    Kind.UNAVAILABLE,
                    "Session runs on another node",
                    "session '" + sessionId + "' is run by another node; retry, and the call is forwarded to it");
        }
        if (!registry.contains(sessionId)) {
            states.load(sessionId).ifPresent(registry::register);
        }
    }
}
