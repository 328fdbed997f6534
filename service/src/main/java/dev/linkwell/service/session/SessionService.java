package dev.linkwell.service.session;

import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.SessionIds;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.session.SessionException.Kind;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.storage.StoredWebhook;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The sessions as the API sees them. Each call checks its input, asks the session's state machine
 * ({@link ManagedSession}) for a {@link Decision} and has the {@link DecisionRunner} carry it out under the session's
 * lock; reading a session never waits for that. With several nodes on one database ({@link SessionOwnership#shared()})
 * a call takes the session's lease first ({@link SessionLeases}), so this node runs only the sessions it holds.
 */
@Service
public class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final Pattern PHONE = Pattern.compile("[1-9][0-9]{6,14}");

    private final SessionRegistry registry;
    private final DecisionRunner runner;
    private final SessionLeases leases;
    private final SessionDrain drain;
    private final SessionAdmission admission;
    private final EngineChooser engines;
    private final SessionStateStore states;
    private final SessionOwnership ownership;
    private final SessionProperties properties;
    private final Clock clock;

    SessionService(
            SessionRegistry registry,
            DecisionRunner runner,
            SessionLeases leases,
            SessionDrain drain,
            SessionAdmission admission,
            EngineChooser engines,
            SessionStateStore states,
            SessionOwnership ownership,
            SessionProperties properties,
            Clock clock) {
        this.registry = registry;
        this.runner = runner;
        this.leases = leases;
        this.drain = drain;
        this.admission = admission;
        this.engines = engines;
        this.states = states;
        this.ownership = ownership;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Creates the session or makes sure it runs, then waits (at most {@code startWait}) until it has a
     * QR, a pairing code, an open connection or has stopped. A running session is returned as is.
     */
    public SessionView ensure(String sessionId, StartOptions options) {
        requireValidId(sessionId);
        // a session started again without naming a provider keeps the one it has: its credentials belong to it
        String storedProvider = storedProvider(sessionId);
        String provider = Objects.requireNonNullElse(
                options.provider(), storedProvider != null ? storedProvider : properties.defaultProvider());
        engines.requireKnown(provider);
        String storage = Objects.requireNonNullElse(options.storage(), states.backend());
        if (!states.backend().equals(storage)) {
            throw SessionException.invalid("unknown storage '" + storage + "'; supported: [" + states.backend() + "]");
        }
        if (options.phone() != null && !PHONE.matcher(options.phone()).matches()) {
            throw SessionException.invalid(
                    "phone must be 7 to 15 digits, country code first (so not starting with 0), no '+' or spaces");
        }
        engines.resolve(provider); // after input checks: a bad request is 400 even without engines
        if (!admission.isOpen()) {
            throw new SessionException(Kind.UNAVAILABLE, "Shutting down", "the service is shutting down");
        }
        StoredSession wanted = new StoredSession(
                sessionId, provider, options.phone(), storage, true, clock.instant(), options.webhooks());
        leases.own(sessionId);
        ManagedSession session = registry.locked(sessionId, () -> registry.getOrCreate(sessionId), s -> {
            runner.apply(s, s.ensure(wanted, options.provider() != null, options.webhooks() != null, clock.instant()));
            return s;
        });
        SessionView view = session.awaitSettled(properties.startWait());
        if (view.status() == SessionStatus.CLOSED
                && DisconnectReason.PAIRING_FAILED.wireName().equals(view.reason())) {
            // the server refused to link this device (e.g. a pairing-code request it answered 400): the caller
            // asked for a QR or a code and gets neither, so this is an error, not a session to show
            String detail = Objects.requireNonNullElse(session.state().stopDetail(), "pairing failed");
            throw new SessionException(
                    Kind.UPSTREAM_FAILED, "Pairing refused", "session '" + sessionId + "' is closed: " + detail);
        }
        return view;
    }

    /** Closes the socket and keeps the credentials; the session is not restored on boot. */
    public SessionView close(String sessionId) {
        return locked(sessionId, session -> {
            Decision decision = session.close(clock.instant());
            runner.apply(session, decision);
            if (!decision.isNone()) {
                log.info("Session closed by the user");
            }
            return session.view();
        });
    }

    /** Logs the device out if it is connected, deletes its credentials and session folder. */
    public SessionView remove(String sessionId) {
        return locked(sessionId, session -> {
            Decision decision = session.remove(clock.instant());
            runner.apply(session, decision);
            if (!decision.isNone()) {
                log.info("Session logged out and its credentials purged");
            }
            return session.view();
        });
    }

    /** The session's own webhooks (none for unknown ids); never blocks, so event subscribers may call it. */
    public List<StoredWebhook> webhooks(String sessionId) {
        return registry.webhooks(sessionId);
    }

    /** Refuses new sessions from now on (503) and keeps restores and reconnects from opening sockets. */
    public void stopAcceptingSessions() {
        admission.close();
    }

    /** Takes new sessions again after {@link #stopAcceptingSessions()}, when the application is started again. */
    public void acceptSessions() {
        admission.open();
    }

    public SessionView get(String sessionId) {
        return require(sessionId).view();
    }

    /** The socket of a ready session, to send through; a conflict when the session is not ready. */
    public EngineSession readySocket(String sessionId) {
        ManagedSession session = require(sessionId);
        session.lock().lock();
        try {
            SessionState state = session.state();
            EngineSession socket =
                    state.socket() == null ? null : state.socket().socket();
            if (state.status() != SessionStatus.READY || socket == null) {
                throw new SessionException(
                        Kind.CONFLICT,
                        "Session not ready",
                        "session '" + sessionId + "' is " + state.status().wireName() + "; sending needs status ready");
            }
            return socket;
        } finally {
            session.lock().unlock();
        }
    }

    /** The sessions this node runs (with several nodes, only its own). */
    public List<SessionView> list() {
        return registry.list();
    }

    /**
     * Closes every socket, open ones draining first, and gives every lease back; the desired state stays, so the
     * next boot restores the sessions ({@link SessionDrain#shutdown()}).
     */
    public void shutdown() {
        drain.shutdown();
    }

    /** The provider the session was stored with, if it is known here (or, with several nodes, stored). */
    private String storedProvider(String sessionId) {
        Optional<ManagedSession> known = registry.find(sessionId);
        if (known.isPresent()) {
            return known.get().state().stored().provider();
        }
        if (!ownership.shared()) {
            return null;
        }
        try {
            return states.load(sessionId).map(StoredSession::provider).orElse(null);
        } catch (RuntimeException e) {
            return null; // the start that follows meets the storage failure and says so
        }
    }

    /** Runs {@code action} on a known session under its lock. */
    private <T> T locked(String sessionId, Function<ManagedSession, T> action) {
        return registry.locked(sessionId, () -> require(sessionId), action);
    }

    private ManagedSession require(String sessionId) {
        requireValidId(sessionId);
        leases.takeUpIfStored(sessionId);
        return registry.require(sessionId);
    }

    private static void requireValidId(String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw SessionException.invalid("session id must match " + SessionIds.PATTERN.pattern());
        }
    }
}
