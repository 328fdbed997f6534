package dev.linkwell.bench.engine;

import dev.linkwell.bench.harness.Deadline;
import dev.linkwell.bench.harness.SimulatorHandle;
import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.engine.ClientRuntime;
import dev.linkwell.client.engine.WaClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The native engine's clients as the service holds them, without the service: one {@link ClientRuntime}, one
 * {@link WaClient} per session, credentials in a {@link MemoryCredentialStore}. Pairs them by QR through the
 * simulator, logs them in again from the store, closes them, and notices any disconnect nobody asked for.
 */
final class EngineClients {

    private static final Duration STEP = Duration.ofSeconds(60);

    private final ClientRuntime runtime;
    private final ClientConfig config;
    private final MemoryCredentialStore store;
    private final SimulatorHandle sim;
    private final Deadline deadline;
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final List<Session> sessions;

    EngineClients(
            ClientRuntime runtime,
            ClientConfig config,
            MemoryCredentialStore store,
            SimulatorHandle sim,
            Deadline deadline,
            int count) {
        this.runtime = runtime;
        this.config = config;
        this.store = store;
        this.sim = sim;
        this.deadline = deadline;
        this.sessions = IntStream.range(0, count).mapToObj(Session::new).toList();
    }

    Session get(int i) {
        return sessions.get(i);
    }

    /** Disconnects of open sessions that the harness did not ask for. */
    int unexpectedDisconnects() {
        return unexpected.size();
    }

    String unexpectedSample() {
        return unexpected.stream().limit(3).collect(Collectors.joining("; "));
    }

    /** Fails unless the first {@code count} sessions are open and none dropped. */
    void requireOpen(int count, String when) {
        long notOpen = sessions.subList(0, count).stream()
                .filter(s -> s.client == null || s.client.state() != WaClient.State.OPEN)
                .count();
        if (notOpen > 0 || !unexpected.isEmpty()) {
            throw new IllegalStateException(when + ": " + notOpen + " session(s) not open, " + unexpected.size()
                    + " unexpected disconnect(s): " + unexpectedSample());
        }
    }

    /** What one WaClient reported; futures complete once. */
    private final class Listener implements EngineListener {
        final String sessionId;
        final CompletableFuture<String> qr = new CompletableFuture<>();
        final CompletableFuture<String> open = new CompletableFuture<>();
        final CompletableFuture<DisconnectReason> ended = new CompletableFuture<>();
        volatile boolean closing;
        volatile String detail;

        Listener(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public void on(EngineEvent event) {
            switch (event) {
                case EngineEvent.Qr q -> qr.complete(q.text());
                case EngineEvent.Opened o -> open.complete(o.jid());
                case EngineEvent.Disconnected d -> disconnected(d.why());
                default -> {}
            }
        }

        private void disconnected(Disconnect why) {
            this.detail = why.detail();
            if (open.isDone() && !closing) {
                unexpected.add(sessionId + ": " + why.reason() + " " + why.detail());
            }
            ended.complete(why.reason());
        }

        /** Waits for {@code f}; fails at once if the connection ends first. */
        <T> T await(CompletableFuture<T> f, String what) throws Exception {
            CompletableFuture.anyOf(f, ended).get(deadline.waitNanos(STEP), TimeUnit.NANOSECONDS);
            if (f.isDone()) {
                return f.get();
            }
            throw new IllegalStateException(
                    sessionId + ": connection ended (" + ended.get() + " " + detail + ") while waiting for " + what);
        }
    }

    /** One session: its phone number, and the client currently running it. */
    final class Session {
        final String id;
        final String number;
        volatile WaClient client;
        volatile Listener listener;

        Session(int i) {
            id = String.format(Locale.ROOT, "fp-%04d", i);
            number = String.format(Locale.ROOT, "5511%07d", 9_000_000 + i);
        }

        /** A new device: QR, the phone scans, 515 restart-required, then a new client logs in. */
        void pairAndOpen() throws Exception {
            String phoneId = sim.addPhone(number);
            Listener l = new Listener(id);
            WaClient c = new WaClient(runtime, config, id, store, Optional.empty(), l);
            c.connect();
            String qr = l.await(l.qr, "QR");
            sim.scan(phoneId, qr);
            DisconnectReason r = l.ended.get(deadline.waitNanos(STEP), TimeUnit.NANOSECONDS);
            if (r != DisconnectReason.RESTART_REQUIRED) {
                throw new IllegalStateException(
                        id + ": expected 515 restart-required after pairing, got " + r + " " + l.detail);
            }
            open();
        }

        /** A login from the stored credentials (as the service does after 515 and after a restart). */
        void open() throws Exception {
            Listener l = new Listener(id);
            WaClient c = new WaClient(runtime, config, id, store, Optional.empty(), l);
            listener = l;
            client = c;
            c.connect();
            l.await(l.open, "open");
        }

        void close() throws Exception {
            Listener l = listener;
            l.closing = true;
            client.close();
            DisconnectReason r = l.ended.get(deadline.waitNanos(STEP), TimeUnit.NANOSECONDS);
            if (r != DisconnectReason.USER_CLOSED) {
                throw new IllegalStateException(id + ": close ended with " + r + " " + l.detail);
            }
            client = null;
            listener = null;
        }
    }
}
