package dev.linkwell.client.engine;

import dev.linkwell.protocol.time.Scheduler;
import dev.linkwell.protocol.time.SystemScheduler;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What all sessions of one engine share: ONE {@link HttpClient} (its WebSocket callbacks run on virtual
 * threads), ONE {@link Scheduler} for every timer (keepalive ticks, QR rotation, iq timeouts; a timer only
 * hands its task to the connection's mailbox), virtual threads for the mailboxes, and the random source.
 * A session owns no thread of its own.
 */
public final class ClientRuntime implements AutoCloseable {

    private final ExecutorService work;
    private final HttpClient http;
    private final Scheduler scheduler;
    private final SystemScheduler ownScheduler;
    private final SecureRandom random;

    /** Wall-clock time, one timer thread. */
    public ClientRuntime() {
        this(null, new SecureRandom());
    }

    /**
     * @param scheduler the clock and timers to use (a {@link dev.linkwell.protocol.time.ManualScheduler} in
     *                  tests that move time themselves); null for wall-clock time and a timer thread of its own
     */
    public ClientRuntime(Scheduler scheduler, SecureRandom random) {
        this.ownScheduler = scheduler == null ? new SystemScheduler("wa-engine-timer") : null;
        this.scheduler = scheduler == null ? ownScheduler : scheduler;
        this.random = random;
        this.work = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("wa-engine-", 0).factory());
        this.http = HttpClient.newBuilder().executor(work).build();
    }

    public HttpClient http() {
        return http;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Virtual threads: where the connections' mailboxes run (credential writes and PBKDF2 included). */
    public ExecutorService work() {
        return work;
    }

    public InstantSource clock() {
        return scheduler.clock();
    }

    public SecureRandom random() {
        return random;
    }

    @Override
    public void close() {
        if (ownScheduler != null) {
            ownScheduler.close();
        }
        http.shutdownNow();
        work.shutdownNow();
    }
}
