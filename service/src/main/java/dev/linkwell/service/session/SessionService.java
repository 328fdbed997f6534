package dev.linkwell.service.session;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.SessionIds;
import dev.linkwell.service.engine.Engine;
import dev.linkwell.service.engine.EngineRegistry;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SessionStart;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventData;
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
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.storage.StoredWebhook;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

/**
 * Owns every session. Each API call and engine report asks the session's state machine ({@link ManagedSession})
 * for a {@link Decision} and carries it out: storage writes, engine calls, events, reconnects. One session's
 * decisions run one at a time and in order, so it has at most one socket and its events come out in order;
 * reading a session never waits for them.
 */
@Service
public class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final Pattern PHONE = Pattern.compile("[1-9][0-9]{6,14}");
    static final String MDC_KEY = "sessionId";

    private final ConcurrentMap<String, ManagedSession> sessions = new ConcurrentHashMap<>();
    private final EngineRegistry engines;
    private final CredentialStore credentials;
    private final SessionStateStore states;
    private final EventBus events;
    private final SessionProperties properties;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Backoff backoff;
    private final SessionMetrics metrics;
    /** Set when shutdown begins: no new session, restore or reconnect opens a socket after that. */
    private volatile boolean shuttingDown;

    public SessionService(
            EngineRegistry engines,
            CredentialStore credentials,
            SessionStateStore states,
            EventBus events,
            SessionProperties properties,
            ScheduledExecutorService sessionScheduler,
            Clock clock,
            SessionMetrics metrics) {
        this.engines = engines;
        this.credentials = credentials;
        this.states = states;
        this.events = events;
        this.properties = properties;
        this.scheduler = sessionScheduler;
        this.clock = clock;
        this.metrics = metrics;
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffCap(), RandomGenerator.getDefault());
    }

    /**
     * Creates the session or makes sure it runs, then waits (at most {@code startWait}) until it has a
     * QR, a pairing code, an open connection or has stopped. A running session is returned as is.
     */
    public SessionView ensure(String sessionId, StartOptions options) {
        requireValidId(sessionId);
        // a session started again without naming a provider keeps the one it has: its credentials belong to it
        ManagedSession known = sessions.get(sessionId);
        String storedProvider = known == null ? null : known.state().stored().provider();
        String provider = Objects.requireNonNullElse(
                options.provider(), storedProvider != null ? storedProvider : properties.defaultProvider());
        if (!engines.isKnown(provider)) {
            throw SessionException.invalid("unknown provider '" + provider + "'; known: " + engines.knownProviders());
        }
        String storage = Objects.requireNonNullElse(options.storage(), states.backend());
        if (!states.backend().equals(storage)) {
            throw SessionException.invalid("unknown storage '" + storage + "'; supported: [" + states.backend() + "]");
        }
        if (options.phone() != null && !PHONE.matcher(options.phone()).matches()) {
            throw SessionException.invalid(
                    "phone must be 7 to 15 digits, country code first (so not starting with 0), no '+' or spaces");
        }
        resolveEngine(provider); // after input checks: a bad request is 400 even without engines
        if (shuttingDown) {
            throw new SessionException(Kind.UNAVAILABLE, "Shutting down", "the service is shutting down");
        }
        StoredSession wanted = new StoredSession(
                sessionId, provider, options.phone(), storage, true, clock.instant(), options.webhooks());
        ManagedSession session = locked(sessionId, true, s -> {
            apply(s, s.ensure(wanted, options.provider() != null, options.webhooks() != null, clock.instant()));
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
        return locked(sessionId, false, session -> {
            Decision decision = session.close(clock.instant());
            apply(session, decision);
            if (!decision.isNone()) {
                log.info("Session closed by the user");
            }
            return session.view();
        });
    }

    /** Logs the device out if it is connected, deletes its credentials and session folder. */
    public SessionView remove(String sessionId) {
        return locked(sessionId, false, session -> {
            Decision decision = session.remove(clock.instant());
            apply(session, decision);
            if (!decision.isNone()) {
                log.info("Session logged out and its credentials purged");
            }
            return session.view();
        });
    }

    /** The session's own webhooks (none for unknown ids); never blocks, so event subscribers may call it. */
    public List<StoredWebhook> webhooks(String sessionId) {
        ManagedSession session = sessions.get(sessionId);
        return session == null ? List.of() : session.webhooks();
    }

    /** Refuses new sessions from now on (503) and keeps restores and reconnects from opening sockets. */
    public void stopAcceptingSessions() {
        shuttingDown = true;
    }

    /** Takes new sessions again after {@link #stopAcceptingSessions()}, when the application is started again. */
    public void acceptSessions() {
        shuttingDown = false;
    }

    public SessionView get(String sessionId) {
        return require(sessionId).view();
    }

    public List<SessionView> list() {
        return sessions.values().stream()
                .filter(s -> s.state().listed())
                .map(ManagedSession::view)
                .sorted(Comparator.comparing(SessionView::sessionId))
                .toList();
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

    /** Makes a session known from storage at boot, without starting it. */
    void register(StoredSession stored) {
        sessions.putIfAbsent(
                stored.sessionId(), new ManagedSession(stored.sessionId(), SessionState.known(stored, true)));
    }

    /** Starts a registered session again (boot restore); no-op if it already runs. */
    void resume(String sessionId) {
        locked(sessionId, false, session -> {
            if (!shuttingDown && !session.state().isActive()) {
                withMdc(sessionId, () -> log.info("Restoring session on boot"));
                apply(session, session.resume(clock.instant()));
            }
            return null;
        });
    }

    SessionView awaitSettled(String sessionId, Duration wait) {
        return require(sessionId).awaitSettled(wait);
    }

    /** Closes every socket on shutdown without touching the desired state, so the next boot restores them. */
    @PreDestroy
    void shutdown() {
        stopAcceptingSessions();
        for (ManagedSession session : sessions.values()) {
            session.lock().lock();
            try {
                session.cancelPlannedReconnect();
                apply(session, session.shutdown(clock.instant()));
            } finally {
                session.lock().unlock();
            }
        }
    }

    /**
     * Runs {@code action} on the session under its lock. A session dropped from the registry while the caller
     * waited for the lock (its first start could not be stored) is looked up again.
     */
    private <T> T locked(String sessionId, boolean create, Function<ManagedSession, T> action) {
        while (true) {
            ManagedSession session = create
                    ? sessions.computeIfAbsent(
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
                                            false)))
                    : require(sessionId);
            session.lock().lock();
            try {
                if (sessions.get(sessionId) == session) {
                    String previous = MDC.get(MDC_KEY);
                    MDC.put(MDC_KEY, sessionId);
                    try {
                        return action.apply(session);
                    } finally {
                        restoreMdc(previous);
                    }
                }
            } finally {
                session.lock().unlock();
            }
        }
    }

    /**
     * Carries out a decision, in order, under the session's lock (which the caller holds).
     *
     * @throws SessionException STORAGE_FAILED when a write failed (after the decision's fallback ran), or
     *                          UPSTREAM_FAILED when the engine could not start (after the session closed)
     */
    private void apply(ManagedSession session, Decision decision) {
        for (Step step : decision.steps()) {
            try {
                run(session, step);
            } catch (StorageWriteFailed e) {
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

    private void run(ManagedSession session, Step step) {
        switch (step) {
            case Enter enter -> session.enter(enter.state());
            case Save save -> write(() -> states.save(save.stored()));
            case Purge purge ->
                write(() -> {
                    credentials.purge(session.id);
                    states.delete(session.id);
                });
            case Publish publish -> events.publish(session.id, publish.data());
            case Open open -> open(session, open.token());
            case Release release -> release(release);
            case Reconnect reconnect -> plan(session, reconnect);
            case Forget forget -> sessions.remove(session.id, session);
        }
    }

    private static String describe(Throwable e) {
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

    /** Opens the token's socket; an engine that cannot even try closes the session and fails the caller (502). */
    private void open(ManagedSession session, SocketToken token) {
        Engine engine = resolveEngine(token.provider());
        SessionStart start = new SessionStart(
                session.id, Optional.ofNullable(session.state().stored().phone()));
        EngineSession socket;
        try {
            socket = engine.start(start, credentials, new Listener(session, token));
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
                    if (shuttingDown) {
                        return;
                    }
                    try {
                        locked(session.id, false, s -> {
                            apply(s, s.reconnect(reconnect.token(), clock.instant()));
                            return null;
                        });
                    } catch (SessionException e) {
                        withMdc(session.id, () -> log.error("Reconnect failed: {}", e.getMessage()));
                    }
                },
                reconnect.delay().toMillis(),
                TimeUnit.MILLISECONDS));
    }

    private Engine resolveEngine(String provider) {
        if (!engines.isKnown(provider)) {
            throw SessionException.invalid("unknown provider '" + provider + "'; known: " + engines.knownProviders());
        }
        Engine engine = engines.find(provider)
                .orElseThrow(() -> new SessionException(
                        Kind.UNAVAILABLE,
                        "Provider not available",
                        "provider '" + provider + "' is not available in this build"));
        engine.missingRequirement().ifPresent(missing -> {
            throw new SessionException(Kind.UNAVAILABLE, "Provider not available", missing);
        });
        return engine;
    }

    private ManagedSession require(String sessionId) {
        requireValidId(sessionId);
        ManagedSession session = sessions.get(sessionId);
        if (session == null || !session.state().listed()) {
            throw SessionException.notFound(sessionId);
        }
        return session;
    }

    private static void requireValidId(String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw SessionException.invalid("session id must match " + SessionIds.PATTERN.pattern());
        }
    }

    private static void quietly(Runnable action, String what) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("Engine {} failed: {}", what, e.toString());
        }
    }

    static void withMdc(String sessionId, Runnable action) {
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, sessionId);
        try {
            action.run();
        } finally {
            restoreMdc(previous);
        }
    }

    private static void restoreMdc(String previous) {
        if (previous == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, previous);
        }
    }

    /** The listener handed to one engine socket: each report becomes a decision of the session about that socket. */
    private final class Listener implements EngineListener {

        private final ManagedSession session;
        private final SocketToken token;
        private final long openedAtNanos = System.nanoTime();
        /** Under the session's lock; a socket that showed a code waited for a person, so no connect latency. */
        private boolean showedCode;

        Listener(ManagedSession session, SocketToken token) {
            this.session = session;
            this.token = token;
        }

        @Override
        public void on(EngineEvent event) {
            withMdc(session.id, () -> {
                session.lock().lock();
                try {
                    Decision decision = decide(event);
                    if (decision.isNone()) {
                        log.debug(
                                "Ignoring {} from an abandoned or dead socket",
                                event.getClass().getSimpleName());
                        return;
                    }
                    count(event);
                    apply(session, decision);
                } catch (SessionException e) {
                    log.error("{}: {}", e.title(), e.getMessage());
                } finally {
                    session.lock().unlock();
                }
            });
        }

        private Decision decide(EngineEvent event) {
            return switch (event) {
                case EngineEvent.Qr qr -> session.onQr(token, qr.text(), clock.instant());
                case EngineEvent.PairingCode code -> session.onPairingCode(token, code.code(), clock.instant());
                case EngineEvent.Paired paired -> {
                    log.debug("Paired as {}", paired.jid());
                    yield Decision.NONE;
                }
                case EngineEvent.Opened opened -> session.onOpen(token, opened.jid(), clock.instant());
                case EngineEvent.MessageReceived message ->
                    session.onMessage(token, new EventData.Message(message.data()));
                case EngineEvent.Disconnected disconnected ->
                    session.onDisconnect(token, disconnected.why(), backoff, clock.instant());
            };
        }

        /** The metrics of a report the session acted on. */
        private void count(EngineEvent event) {
            switch (event) {
                case EngineEvent.Qr qr -> {
                    showedCode = true;
                    metrics.qrIssued("qr");
                }
                case EngineEvent.PairingCode code -> {
                    showedCode = true;
                    metrics.qrIssued("pairing_code");
                }
                case EngineEvent.Opened opened -> {
                    log.info("Connection open{}", opened.jid() == null ? "" : " as " + opened.jid());
                    if (!showedCode) {
                        metrics.connected(token.provider(), Duration.ofNanos(System.nanoTime() - openedAtNanos));
                    }
                }
                case EngineEvent.MessageReceived message -> metrics.messageIn();
                case EngineEvent.Disconnected disconnected -> logDisconnect(disconnected);
                case EngineEvent.Paired paired -> {}
            }
        }

        private void logDisconnect(EngineEvent.Disconnected disconnected) {
            DisconnectReason reason = disconnected.why().reason();
            String detail = disconnected.why().detail();
            switch (reason.action()) {
                case RECONNECT_NOW -> metrics.reconnect(reason.wireName());
                case RECONNECT_WITH_BACKOFF -> {
                    metrics.reconnect(reason.wireName());
                    log.warn("Connection lost ({}{})", reason.wireName(), detail == null ? "" : ": " + detail);
                }
                case STOP ->
                    log.warn(
                            "Session stopped ({}{}); credentials kept, not reconnecting",
                            reason.wireName(),
                            detail == null ? "" : ": " + detail);
                case PURGE ->
                    log.warn(
                            "Session logged out by the server ({} {}: {}); purging credentials",
                            reason.wireName(),
                            disconnected.why().code(),
                            detail);
            }
        }
    }
}
