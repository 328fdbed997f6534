package dev.linkwell.service.session;

import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.storage.StoredWebhook;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The sessions this node knows, by id, and the way to act on one: under its lock, with its id in the logging
 * context. Reading a session ({@link #list}, {@link #webhooks}) never waits for a lock.
 */
@Component
class SessionRegistry {

    private final ConcurrentMap<String, ManagedSession> sessions = new ConcurrentHashMap<>();
    private final SessionProperties properties;
    private final SessionStateStore states;
    private final Clock clock;

    SessionRegistry(SessionProperties properties, SessionStateStore states, Clock clock) {
        this.properties = properties;
        this.states = states;
        this.clock = clock;
    }

    Optional<ManagedSession> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    boolean contains(String sessionId) {
        return sessions.containsKey(sessionId);
    }

    /** Whether {@code session} is still the one known under its id (not dropped, nor replaced by a new start). */
    boolean isCurrent(ManagedSession session) {
        return sessions.get(session.id) == session;
    }

    Collection<ManagedSession> all() {
        return sessions.values();
    }

    /** A known session that is listed; NOT_FOUND otherwise. */
    ManagedSession require(String sessionId) {
        ManagedSession session = sessions.get(sessionId);
        if (session == null || !session.state().listed()) {
            throw SessionException.notFound(sessionId);
        }
        return session;
    }

    /** The session, or a new one not yet started or stored (a first {@code PUT}). */
    ManagedSession getOrCreate(String sessionId) {
        return sessions.computeIfAbsent(
                sessionId,
                id -> new ManagedSession(
                        id,
                        SessionState.known(
                                new StoredSession(
                                        id,
                                        properties.defaultProvider(),
                                        null,
                                        states.backend(),
                                        false,
                                        clock.instant()),
                                false)));
    }

    /** Makes a session known from storage, without starting it. */
    void register(StoredSession stored) {
        sessions.putIfAbsent(
                stored.sessionId(), new ManagedSession(stored.sessionId(), SessionState.known(stored, true)));
    }

    /** Drops the session, if it is still the one known under its id. */
    void forget(ManagedSession session) {
        sessions.remove(session.id, session);
    }

    /** The listed sessions, by id. */
    List<SessionView> list() {
        return sessions.values().stream()
                .filter(s -> s.state().listed())
                .map(ManagedSession::view)
                .sorted(Comparator.comparing(SessionView::sessionId))
                .toList();
    }

    /** The session's own webhooks (none for unknown ids); never blocks. */
    List<StoredWebhook> webhooks(String sessionId) {
        ManagedSession session = sessions.get(sessionId);
        return session == null ? List.of() : session.webhooks();
    }

    /**
     * Runs {@code action} on the session {@code lookup} finds, under its lock and with its id in the logging context.
     * A session dropped from the registry while the caller waited for the lock (its first start could not be stored)
     * is looked up again.
     */
    <T> T locked(String sessionId, Supplier<ManagedSession> lookup, Function<ManagedSession, T> action) {
        while (true) {
            ManagedSession session = lookup.get();
            session.lock().lock();
            try {
                if (isCurrent(session)) {
                    return SessionMdc.call(sessionId, () -> action.apply(session));
                }
            } finally {
                session.lock().unlock();
            }
        }
    }
}
