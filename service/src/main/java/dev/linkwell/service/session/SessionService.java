package dev.linkwell.service.session;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.Disconnect;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.SessionIds;
import dev.linkwell.service.engine.Engine;
import dev.linkwell.service.engine.EngineRegistry;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SessionStart;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.storage.StoredWebhook;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Owns every session: starts engine sockets, reacts to what engines report, persists the desired
 * state and publishes events. All changes to one session happen under that session's monitor, so a
 * session has at most one socket and its events come out in order.
 */
@Service
public class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final Pattern PHONE = Pattern.compile("[0-9]{7,15}");
    private static final String FILE_STORAGE = "file";
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

    public SessionService(EngineRegistry engines, CredentialStore credentials, SessionStateStore states, EventBus events,
                          SessionProperties properties, ScheduledExecutorService sessionScheduler, Clock clock,
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
        String provider = Objects.requireNonNullElse(options.provider(), properties.defaultProvider());
        if (!engines.isKnown(provider)) {
            throw SessionException.badRequest("unknown provider '" + provider + "'; known: " + engines.knownProviders());
        }
        String storage = Objects.requireNonNullElse(options.storage(), FILE_STORAGE);
        if (!FILE_STORAGE.equals(storage)) {
            throw SessionException.badRequest("unknown storage '" + storage + "'; supported: [file]");
        }
        if (options.phone() != null && !PHONE.matcher(options.phone()).matches()) {
            throw SessionException.badRequest("phone must be 7 to 15 digits, country code first, no '+' or spaces");
        }
        Engine engine = resolveEngine(provider); // after input checks: a bad request is 400 even without engines
        if (shuttingDown) {
            throw new SessionException(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down", "the service is shutting down");
        }
        StoredSession wanted = new StoredSession(sessionId, provider, options.phone(), storage, true, clock.instant(),
            options.webhooks());
        ManagedSession session = sessions.computeIfAbsent(sessionId, id -> new ManagedSession(wanted));
        synchronized (session) {
            if (session.isActive()) {
                if (options.provider() != null && !options.provider().equals(session.stored.provider())) {
                    throw new SessionException(HttpStatus.CONFLICT, "Session already running",
                        "session '" + sessionId + "' runs on provider '" + session.stored.provider() + "'; close it first");
                }
                replaceWebhooks(session, options);
            } else {
                // Webhooks left out of the body stay as they were, unless the session was purged.
                session.stored = options.webhooks() != null || session.status == SessionStatus.REMOVED
                    ? wanted : wanted.withWebhooks(session.stored.webhooks(), wanted.updatedAt());
                session.attempt = 0;
                session.stopDetail = null;
                states.save(wanted);
                openSocket(session, engine);
            }
        }
        SessionView view = awaitSettled(session, properties.startWait());
        if (view.status() == SessionStatus.CLOSED && DisconnectReason.PAIRING_FAILED.wireName().equals(view.reason())) {
            // the server refused to link this device (e.g. a pairing-code request it answered 400): the caller
            // asked for a QR or a code and gets neither, so this is an error, not a session to show
            String detail;
            synchronized (session) {
                detail = Objects.requireNonNullElse(session.stopDetail, "pairing failed");
            }
            throw new SessionException(HttpStatus.BAD_GATEWAY, "Pairing refused",
                "session '" + sessionId + "' is closed: " + detail);
        }
        return view;
    }

    /** Closes the socket and keeps the credentials; the session is not restored on boot. */
    public SessionView close(String sessionId) {
        ManagedSession session = require(sessionId);
        synchronized (session) {
            if (session.status == SessionStatus.REMOVED) {
                return session.view();
            }
            if (session.status == SessionStatus.CLOSED) {
                // Already down (e.g. start_failed), but it may still be marked for restore on boot.
                if (session.stored.desiredRunning()) {
                    session.stored = session.stored.withDesiredRunning(false, clock.instant());
                    states.save(session.stored);
                }
                return session.view();
            }
            withMdc(session.id, () -> {
                detachSocket(session).ifPresent(socket -> quietly(socket::close, "close"));
                session.stored = session.stored.withDesiredRunning(false, clock.instant());
                states.save(session.stored);
                update(session, SessionStatus.CLOSED, ConnectionState.CLOSE, "user");
                log.info("Session closed by the user");
                publish(session, EventData.Closed.by("user"));
            });
            return session.view();
        }
    }

    /** Logs the device out if it is connected, deletes its credentials and session folder. */
    public SessionView remove(String sessionId) {
        ManagedSession session = require(sessionId);
        synchronized (session) {
            if (session.status == SessionStatus.REMOVED) {
                return session.view();
            }
            withMdc(session.id, () -> {
                detachSocket(session).ifPresent(socket -> quietly(socket::logout, "logout"));
                purge(session, "user");
                log.info("Session logged out and its credentials purged");
                publish(session, EventData.Removed.by("user"));
            });
            return session.view();
        }
    }

    /** The session's own webhooks (none for unknown ids); never blocks, so event subscribers may call it. */
    public List<StoredWebhook> webhooks(String sessionId) {
        ManagedSession session = sessions.get(sessionId);
        return session == null ? List.of() : session.stored.webhooks();
    }

    /** Refuses new sessions from now on (503) and keeps restores and reconnects from opening sockets. */
    public void stopAcceptingSessions() {
        shuttingDown = true;
    }

    public SessionView get(String sessionId) {
        ManagedSession session = require(sessionId);
        synchronized (session) {
            return session.view();
        }
    }

    public List<SessionView> list() {
        return sessions.values().stream()
            .map(s -> {
                synchronized (s) {
                    return s.view();
                }
            })
            .sorted(Comparator.comparing(SessionView::sessionId))
            .toList();
    }

    /** Makes a session known from storage at boot, without starting it. */
    void register(StoredSession stored) {
        sessions.putIfAbsent(stored.sessionId(), new ManagedSession(stored));
    }

    /** Starts a registered session again (boot restore); no-op if it already runs. */
    void resume(String sessionId) {
        ManagedSession session = require(sessionId);
        synchronized (session) {
            if (!session.isActive() && !shuttingDown) {
                withMdc(sessionId, () -> log.info("Restoring session on boot"));
                openSocket(session, resolveEngine(session.stored.provider()));
            }
        }
    }

    SessionView awaitSettled(String sessionId, Duration wait) {
        return awaitSettled(require(sessionId), wait);
    }

    /** Closes every socket on shutdown without touching the desired state, so the next boot restores them. */
    @PreDestroy
    void shutdown() {
        stopAcceptingSessions();
        for (ManagedSession session : sessions.values()) {
            synchronized (session) {
                detachSocket(session).ifPresent(socket -> withMdc(session.id, () -> quietly(socket::close, "close")));
            }
        }
    }

    private SessionView awaitSettled(ManagedSession session, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (session) {
            while (!session.hasSettled()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(session, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return session.view();
        }
    }

    /** Opens a new socket; on engine failure the session ends closed and a 502 is thrown. */
    private void openSocket(ManagedSession session, Engine engine) {
        int generation = ++session.generation;
        session.qr = null;
        session.pairingCode = null;
        update(session, SessionStatus.STARTING, ConnectionState.CONNECTING, session.reason);
        SessionStart start = new SessionStart(session.id, Optional.ofNullable(session.stored.phone()));
        String previousMdc = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, session.id);
        try {
            publish(session, new EventData.Starting(engine.provider()));
            Listener listener = new Listener(session, generation, engine.provider());
            EngineSession socket = engine.start(start, credentials, listener);
            if (!listener.disconnected) {
                session.socket = socket; // unless it already died during start
            }
        } catch (RuntimeException e) {
            // An engine that cannot even try will not do better in a retry loop: report and stop.
            log.error("Engine '{}' failed to start the session", engine.provider(), e);
            session.generation++;
            update(session, SessionStatus.CLOSED, ConnectionState.CLOSE, "start_failed");
            publish(session, EventData.Closed.by("start_failed", String.valueOf(e.getMessage())));
            throw new SessionException(HttpStatus.BAD_GATEWAY, "Engine failed",
                "provider '" + engine.provider() + "' could not start the session: " + e.getMessage());
        } finally {
            restoreMdc(previousMdc);
        }
    }

    private void onDisconnect(ManagedSession session, Disconnect why) {
        session.socket = null;
        DisconnectReason reason = why.reason();
        String detail = why.detail();
        switch (reason.action()) {
            case RECONNECT_NOW -> {
                metrics.reconnect(reason.wireName());
                log.info("Restart required; recreating socket");
                update(session, SessionStatus.STARTING, ConnectionState.CLOSE, reason.wireName());
                publish(session, EventData.Restarting.of(why));
                scheduleReconnect(session, Duration.ZERO);
            }
            case RECONNECT_WITH_BACKOFF -> {
                metrics.reconnect(reason.wireName());
                int attempt = ++session.attempt;
                Duration delay = backoff.delay(attempt);
                log.warn("Connection lost ({}{}); reconnect attempt {} in {} ms", reason.wireName(),
                    detail == null ? "" : ": " + detail, attempt, delay.toMillis());
                update(session, SessionStatus.STARTING, ConnectionState.CLOSE, reason.wireName());
                publish(session, EventData.Reconnecting.of(attempt, delay.toMillis(), why));
                scheduleReconnect(session, delay);
            }
            case STOP -> {
                log.warn("Session stopped ({}{}); credentials kept, not reconnecting", reason.wireName(),
                    detail == null ? "" : ": " + detail);
                session.stopDetail = detail;
                session.stored = session.stored.withDesiredRunning(false, clock.instant());
                states.save(session.stored);
                update(session, SessionStatus.CLOSED, ConnectionState.CLOSE, reason.wireName());
                publish(session, EventData.Closed.of(why));
            }
            case PURGE -> {
                log.warn("Session logged out by the server ({} {}: {}); purging credentials", reason.wireName(),
                    why.code(), detail);
                session.generation++;
                purge(session, reason.wireName());
                publish(session, EventData.Removed.of(why));
            }
        }
    }

    private void scheduleReconnect(ManagedSession session, Duration delay) {
        int generation = session.generation;
        session.cancelPendingReconnect();
        session.pendingReconnect = scheduler.schedule(() -> withMdc(session.id, () -> {
            synchronized (session) {
                if (session.generation != generation || shuttingDown) {
                    return; // closed, removed or restarted meanwhile, or the service is stopping
                }
                session.pendingReconnect = null;
                try {
                    openSocket(session, resolveEngine(session.stored.provider()));
                } catch (SessionException e) {
                    log.error("Reconnect failed: {}", e.getMessage());
                }
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void replaceWebhooks(ManagedSession session, StartOptions options) {
        if (options.webhooks() != null && !options.webhooks().equals(session.stored.webhooks())) {
            session.stored = session.stored.withWebhooks(options.webhooks(), clock.instant());
            states.save(session.stored);
            withMdc(session.id, () -> log.info("Webhooks replaced: {}", session.stored.webhooks()));
        }
    }

    private Optional<EngineSession> detachSocket(ManagedSession session) {
        session.generation++;
        session.cancelPendingReconnect();
        EngineSession socket = session.socket;
        session.socket = null;
        return Optional.ofNullable(socket);
    }

    private void purge(ManagedSession session, String reason) {
        credentials.purge(session.id);
        states.delete(session.id);
        update(session, SessionStatus.REMOVED, ConnectionState.CLOSE, reason);
    }

    private void update(ManagedSession session, SessionStatus status, ConnectionState connection, String reason) {
        session.status = status;
        session.connection = connection;
        session.reason = reason;
        if (status != SessionStatus.STARTING) {
            session.qr = null;
            session.pairingCode = null;
        }
        session.updatedAt = clock.instant();
        session.notifyAll();
    }

    private void publish(ManagedSession session, EventData data) {
        events.publish(session.id, data);
    }

    private Engine resolveEngine(String provider) {
        if (!engines.isKnown(provider)) {
            throw SessionException.badRequest("unknown provider '" + provider + "'; known: " + engines.knownProviders());
        }
        return engines.find(provider).orElseThrow(() -> new SessionException(HttpStatus.SERVICE_UNAVAILABLE,
            "Provider not available", "provider '" + provider + "' is not available in this build"));
    }

    private ManagedSession require(String sessionId) {
        requireValidId(sessionId);
        ManagedSession session = sessions.get(sessionId);
        if (session == null) {
            throw SessionException.notFound(sessionId);
        }
        return session;
    }

    private static void requireValidId(String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw SessionException.badRequest("session id must match " + SessionIds.PATTERN.pattern());
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

    /** The listener handed to one engine socket; ignores calls once that socket was abandoned. */
    private final class Listener implements EngineListener {

        private final ManagedSession session;
        private final int generation;
        private final String provider;
        private final long openedAtNanos = System.nanoTime();
        /** Guarded by the session's monitor. */
        private boolean disconnected;
        /** Guarded by the session's monitor; a socket that showed a code waited for a person, so no latency. */
        private boolean showedCode;

        Listener(ManagedSession session, int generation, String provider) {
            this.session = session;
            this.generation = generation;
            this.provider = provider;
        }

        @Override
        public void on(EngineEvent event) {
            switch (event) {
                case EngineEvent.Qr qr -> onQr(qr.text());
                case EngineEvent.PairingCode code -> onPairingCode(code.code());
                case EngineEvent.Paired paired -> log.debug("Paired as {}", paired.jid());
                case EngineEvent.Opened opened -> onOpen(opened.jid());
                case EngineEvent.MessageReceived message -> onMessage(message.data());
                case EngineEvent.Disconnected disconnected -> onDisconnect(disconnected.why());
            }
        }

        private void onQr(String qr) {
            handle("qr", () -> {
                showedCode = true;
                metrics.qrIssued("qr");
                session.qr = qr;
                update(session, SessionStatus.STARTING, ConnectionState.CONNECTING, null);
                publish(session, new EventData.Qr(qr));
            });
        }

        private void onPairingCode(String code) {
            handle("pairing code", () -> {
                showedCode = true;
                metrics.qrIssued("pairing_code");
                session.pairingCode = code;
                update(session, SessionStatus.STARTING, ConnectionState.CONNECTING, null);
                publish(session, new EventData.PairingCode(code));
            });
        }

        private void onOpen(String jid) {
            handle("open", () -> {
                if (!showedCode) {
                    metrics.connected(provider, Duration.ofNanos(System.nanoTime() - openedAtNanos));
                }
                session.attempt = 0;
                update(session, SessionStatus.READY, ConnectionState.OPEN, null);
                log.info("Connection open{}", jid == null ? "" : " as " + jid);
                publish(session, new EventData.Open(jid));
            });
        }

        private void onDisconnect(Disconnect why) {
            handle("disconnect", () -> {
                disconnected = true;
                SessionService.this.onDisconnect(session, why);
            });
        }

        private void onMessage(Map<String, Object> payload) {
            handle("message", () -> {
                metrics.messageIn();
                publish(session, new EventData.Message(payload));
            });
        }

        private void handle(String what, Runnable action) {
            withMdc(session.id, () -> {
                synchronized (session) {
                    if (session.generation != generation || disconnected) {
                        log.debug("Ignoring {} from an abandoned or dead socket", what);
                        return;
                    }
                    action.run();
                }
            });
        }
    }
}
