package dev.linkwell.client.engine;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * What all sessions of one engine share: ONE {@link HttpClient} (its WebSocket callbacks run on
 * virtual threads), ONE scheduler thread for every timer (keepalive ticks, QR rotation, iq timeouts;
 * timer bodies hand real work to virtual threads), the clock and the random source. A session owns
 * no thread of its own.
 */
public final class ClientRuntime implements AutoCloseable {

    private final ExecutorService work;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final SecureRandom random;

    public ClientRuntime() {
        this(InstantSource.system(), new SecureRandom());
    }

    public ClientRuntime(InstantSource clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
        this.work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("wa-engine-", 0).factory());
        this.http = HttpClient.newBuilder().executor(work).build();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("wa-engine-timer").factory());
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
    }

    public HttpClient http() {
        return http;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Virtual threads for work that may block (credential writes, PBKDF2, sends). */
    public ExecutorService work() {
        return work;
    }

    public InstantSource clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.shutdownNow();
        work.shutdownNow();
    }
}
