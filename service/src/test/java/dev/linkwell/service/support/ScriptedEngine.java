package dev.linkwell.service.support;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.service.engine.Engine;
import dev.linkwell.service.engine.EngineException;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SessionStart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.MDC;

/**
 * Test double for an engine. Every {@link #start} is recorded with the credentials it found; like a real
 * engine on first login it stores a {@code creds} blob, then shows a QR code (or a pairing code when a
 * phone was given) right away. Tests drive each socket through {@link Socket}: open it, drop it with a
 * {@link DisconnectReason}, push messages, and see whether the service closed or logged it out.
 */
public final class ScriptedEngine implements Engine {

    public static final String PROVIDER = "scripted";

    /**
     * One call of {@link #start}. {@code credentials} is the {@code creds} blob as the engine found it,
     * {@code mdcSessionId} the SLF4J MDC {@code sessionId} during the call, {@code atNanos} its {@link System#nanoTime()}.
     */
    public record Start(
            int number,
            SessionStart request,
            Optional<String> credentials,
            String mdcSessionId,
            long atNanos,
            Socket socket) {}

    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final Set<String> quiet = ConcurrentHashMap.newKeySet();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public EngineSession start(SessionStart request, CredentialStore store, EngineListener listener) {
        String id = request.sessionId();
        if (failing.contains(id)) {
            throw new EngineException("scripted failure for " + id);
        }
        Optional<String> credentials = store.read(id, "creds").map(b -> new String(b, StandardCharsets.UTF_8));
        if (credentials.isEmpty()) {
            store.write(id, "creds", ("creds-of-" + id + "-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        }
        Socket socket = new Socket(listener);
        int number = starts(id).size() + 1;
        starts.add(new Start(number, request, credentials, MDC.get("sessionId"), System.nanoTime(), socket));
        if (quiet.contains(id)) {
            return socket;
        }
        if (request.phone().isPresent()) {
            listener.on(new EngineEvent.PairingCode("PAIR-" + number));
        } else {
            listener.on(new EngineEvent.Qr("qr:" + id + ":" + number));
        }
        return socket;
    }

    /** Sockets of these sessions will not show a QR or pairing code by themselves. */
    public ScriptedEngine stayQuiet(String... sessionIds) {
        quiet.addAll(List.of(sessionIds));
        return this;
    }

    /** {@link #start} of these sessions throws {@link EngineException}, like an engine that cannot even try. */
    public void failToStart(String... sessionIds) {
        failing.addAll(List.of(sessionIds));
    }

    public List<Start> starts(String sessionId) {
        return starts.stream()
                .filter(s -> s.request().sessionId().equals(sessionId))
                .toList();
    }

    public List<String> startedSessionIds() {
        return starts.stream().map(s -> s.request().sessionId()).toList();
    }

    public Socket latest(String sessionId) {
        List<Start> mine = starts(sessionId);
        if (mine.isEmpty()) {
            throw new AssertionError("engine never started " + sessionId);
        }
        return mine.getLast().socket();
    }

    /** Waits (bounded) until the session was started at least {@code count} times; returns that start. */
    public Start awaitStart(String sessionId, int count, Duration timeout) {
        try {
            return Awaitility.await()
                    .atMost(timeout)
                    .until(() -> starts(sessionId), mine -> mine.size() >= count)
                    .get(count - 1);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    sessionId + " was started " + starts(sessionId).size() + " times, expected " + count);
        }
    }

    /** One scripted socket; the test plays the WhatsApp side. */
    public static final class Socket implements EngineSession {

        private final EngineListener listener;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean loggedOut = new AtomicBoolean();

        Socket(EngineListener listener) {
            this.listener = listener;
        }

        public void qr(String qr) {
            listener.on(new EngineEvent.Qr(qr));
        }

        public void open(String jid) {
            listener.on(new EngineEvent.Opened(jid));
        }

        public void drop(DisconnectReason reason) {
            drop(Disconnect.of(reason, "scripted " + reason.wireName()));
        }

        public void drop(Disconnect why) {
            closed.set(true);
            listener.on(new EngineEvent.Disconnected(why));
        }

        public void message(Map<String, Object> payload) {
            listener.on(new EngineEvent.MessageReceived(payload));
        }

        public boolean isClosed() {
            return closed.get();
        }

        public boolean isLoggedOut() {
            return loggedOut.get();
        }

        @Override
        public void close() {
            closed.set(true);
            // Like a real socket, report the closing; the service must ignore it.
            listener.on(
                    new EngineEvent.Disconnected(Disconnect.of(DisconnectReason.USER_CLOSED, "closed by the service")));
        }

        @Override
        public void logout() {
            loggedOut.set(true);
            close();
        }
    }
}
