package dev.linkwell.service.webhook;

import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Sends what the outbox holds. One loop thread picks the due head of each lane (endpoint and session)
 * and hands it to a virtual thread for one HTTP attempt ({@link WebhookAttempt}); a lane never has two attempts at once (nor, with
 * several nodes on one database, two nodes an attempt at the same row: {@link OutboxStore#claim}), so
 * its events arrive in order, and a receiver gets at most {@code maxInFlightPerReceiver} attempts at
 * once, so a slow or dead receiver holds only its own lanes while every other receiver goes on. The
 * bus never waits for any of this: it only appends rows and wakes the loop.
 */
final class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);

    private final OutboxStore store;
    private final WebhookProperties properties;
    private final Clock clock;
    private final Set<String> busyLanes = ConcurrentHashMap.newKeySet();
    private final Map<String, Semaphore> receivers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object signal = new Object();
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final WebhookAttempt attempt;
    private boolean signalled; // guarded by signal
    private long nextCompactionAt; // loop thread only
    private volatile boolean running;
    private volatile boolean storeHealthy = true;
    private Thread loop;

    WebhookDispatcher(
            OutboxStore store,
            WebhookTargets targets,
            WebhookProperties properties,
            RetryPolicy policy,
            WebhookMetrics metrics,
            Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.attempt = new WebhookAttempt(store, targets, properties, policy, metrics, clock, attempts);
    }

    /** Something changed in the outbox (a new row, a retry requested): look again now. */
    void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    /** False while the outbox cannot be read; readiness reports it. */
    boolean storeHealthy() {
        return storeHealthy;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::run);
    }

    /**
     * Stops picking new rows, waits up to {@code shutdownGrace} for attempts in flight, then abandons
     * the rest: their rows are still pending, so the next start sends them again (at least once).
     */
    @Override
    public void stop() {
        running = false;
        wake();
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        try {
            if (loop != null) {
                loop.join(Duration.ofSeconds(5));
            }
            synchronized (signal) {
                while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                    TimeUnit.NANOSECONDS.timedWait(signal, Math.max(1, deadline - System.nanoTime()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = inFlight.get();
        if (left > 0) {
            log.warn(
                    "Shutdown grace over; {} webhook deliveries in flight stay in the outbox for the next start", left);
        }
        attempts.shutdownNow();
        attempt.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server, so events of the last requests are in the outbox before the final round. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void run() {
        while (running) {
            long now = clock.millis();
            long wakeAt;
            try {
                for (OutboxStore.Head head : store.dueHeads(now)) {
                    if (!running) {
                        break;
                    }
                    dispatch(head);
                }
                if (now >= nextCompactionAt) {
                    compact(now);
                }
                // Look again at least every poll interval: rows other nodes added, or left when they died, wake no one
                // here.
                wakeAt = Math.min(
                        Math.min(store.nextDueAfter(now).orElse(Long.MAX_VALUE), nextCompactionAt),
                        now + properties.pollInterval().toMillis());
                storeHealthy = true;
            } catch (SQLException | RuntimeException e) {
                storeHealthy = false;
                log.error("Cannot read the webhook outbox; trying again in {}: {}", STORE_RETRY, e.toString());
                wakeAt = now + STORE_RETRY.toMillis();
            }
            awaitSignal(wakeAt);
        }
    }

    /** Drops expired dead letters and shrinks the files; delivered rows are deleted as they go. */
    private void compact(long now) throws SQLException {
        nextCompactionAt = now + properties.compactInterval().toMillis();
        int dropped = store.compact(now - properties.deadLetterRetention().toMillis());
        if (dropped > 0) {
            log.info(
                    "Outbox compaction dropped {} dead letters older than {}",
                    dropped,
                    properties.deadLetterRetention());
        }
    }

    private void dispatch(OutboxStore.Head head) {
        if (busyLanes.contains(head.lane())) {
            return;
        }
        String receiver = receiver(head.url());
        Semaphore slots = receivers.computeIfAbsent(receiver, r -> new Semaphore(properties.maxInFlightPerReceiver()));
        if (!slots.tryAcquire()) {
            return; // that receiver is busy; a finishing attempt wakes the loop
        }
        busyLanes.add(head.lane());
        inFlight.incrementAndGet();
        attempts.execute(() -> {
            boolean attempted = false;
            try {
                attempted = attempt.make(head.id());
            } finally {
                busyLanes.remove(head.lane());
                slots.release();
                inFlight.decrementAndGet();
                if (attempted) {
                    wake();
                } else {
                    // another node has the row: look again at the next poll, not at once (that would spin)
                    synchronized (signal) {
                        signal.notifyAll();
                    }
                }
            }
        });
    }

    private void awaitSignal(long wakeAt) {
        synchronized (signal) {
            try {
                while (!signalled && running) {
                    long wait = wakeAt == Long.MAX_VALUE ? 0 : wakeAt - clock.millis();
                    if (wakeAt != Long.MAX_VALUE && wait <= 0) {
                        break;
                    }
                    signal.wait(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            signalled = false;
        }
    }

    private static String receiver(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
