package dev.linkwell.service.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;

/**
 * Sends what the outbox holds. One loop thread picks the due head of each lane (endpoint and session)
 * and hands it to a virtual thread for one HTTP attempt; a lane never has two attempts at once, so
 * its events arrive in order, and a receiver gets at most {@code maxInFlightPerReceiver} attempts at
 * once, so a slow or dead receiver holds only its own lanes while every other receiver goes on. The
 * bus never waits for any of this: it only appends rows and wakes the loop.
 */
final class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int ERROR_SNIPPET = 200;
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);

    private final OutboxStore store;
    private final WebhookTargets targets;
    private final WebhookProperties properties;
    private final RetryPolicy policy;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final HttpClient http;
    private final Set<String> busyLanes = ConcurrentHashMap.newKeySet();
    private final Map<String, Semaphore> receivers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object signal = new Object();
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
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
        this.targets = targets;
        this.properties = properties;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
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
        http.shutdownNow();
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
                wakeAt = Math.min(store.nextDueAfter(now).orElse(Long.MAX_VALUE), nextCompactionAt);
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
            try {
                attempt(head.id());
            } finally {
                busyLanes.remove(head.lane());
                slots.release();
                inFlight.decrementAndGet();
                wake();
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

    private void attempt(long id) {
        Optional<Delivery> found;
        try {
            found = store.find(id);
        } catch (SQLException e) {
            log.error("Cannot read webhook delivery {}: {}", id, e.toString());
            return;
        }
        if (found.isEmpty() || found.get().deadAt() != null) {
            return; // delivered or given up meanwhile
        }
        Delivery delivery = found.get();
        MDC.put("sessionId", delivery.sessionId());
        try {
            send(delivery);
        } catch (SQLException e) {
            // The row keeps its old state, so the attempt is repeated: at least once, maybe twice.
            log.error("Cannot record the outcome of webhook delivery {}: {}", delivery.id(), e.toString());
        } finally {
            MDC.remove("sessionId");
        }
    }

    private void send(Delivery delivery) throws SQLException {
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Linkwell-Webhook/1")
                .header(WebhookSignature.EVENT_ID_HEADER, delivery.eventId())
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header("X-Linkwell-Event-Type", delivery.eventType())
                .header("X-Linkwell-Attempt", Integer.toString(delivery.attempts() + 1))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        String secret = targets.secretFor(delivery);
        if (secret != null) {
            request.header(
                    WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, delivery.body()));
        }
        int status;
        String answer;
        Duration retryAfter;
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            answer = status >= 200 && status < 300 ? closed(response.body()) : snippet(response.body());
            retryAfter = response.headers()
                    .firstValue("Retry-After")
                    .flatMap(WebhookDispatcher::seconds)
                    .orElse(null);
        } catch (HttpTimeoutException e) {
            failed(delivery, null, "no answer within " + properties.timeout().toMillis() + " ms", null, "timeout");
            return;
        } catch (IOException e) {
            failed(delivery, null, "connection failed: " + e, null, "connection");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutdown: the row stays pending for the next start
            return;
        }
        if (status >= 200 && status < 300) {
            store.delivered(delivery.id());
            metrics.delivered();
            log.debug("Delivered {} to {} (HTTP {})", delivery.eventId(), delivery.url(), status);
        } else {
            failed(delivery, status, "HTTP " + status + (answer.isEmpty() ? "" : ": " + answer), retryAfter, "status");
        }
    }

    private void failed(Delivery delivery, Integer status, String error, Duration retryAfter, String reason)
            throws SQLException {
        int attempt = delivery.attempts() + 1;
        metrics.failed(reason);
        boolean retryable = status == null || RetryPolicy.isRetryable(status);
        long now = clock.millis();
        if (!retryable || policy.exhausted(attempt)) {
            store.dead(delivery.id(), attempt, now, status, error);
            metrics.deadLettered();
            log.warn(
                    "Webhook delivery {} of event {} to {} failed ({}); {} it is a dead letter now "
                            + "(GET /webhooks/dead-letters, POST /webhooks/dead-letters/{}/retry)",
                    delivery.id(),
                    delivery.eventId(),
                    delivery.url(),
                    error,
                    retryable ? "after " + attempt + " attempts" : "not retryable:",
                    delivery.id());
            return;
        }
        Duration delay = policy.delay(attempt, retryAfter);
        store.retryLater(delivery.id(), attempt, now + delay.toMillis(), status, error);
        log.info(
                "Webhook delivery {} of event {} to {} failed ({}); attempt {} of {} in {} ms",
                delivery.id(),
                delivery.eventId(),
                delivery.url(),
                error,
                attempt + 1,
                properties.maxAttempts(),
                delay.toMillis());
    }

    /** A success needs no body; closing it at once means a receiver that stalls after its status costs nothing. */
    private static String closed(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
        return "";
    }

    /**
     * The start of an error answer, for the dead-letter view. Read on another virtual thread and given
     * up after the attempt timeout, so a receiver that sends a status and then stalls cannot hold the lane.
     */
    private String snippet(InputStream body) {
        Future<byte[]> read;
        try {
            read = attempts.submit(() -> body.readNBytes(ERROR_SNIPPET));
        } catch (RejectedExecutionException shuttingDown) {
            return closed(body);
        }
        try {
            return new String(read.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8)
                    .strip()
                    .replaceAll("\\s+", " ");
        } catch (ExecutionException | TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } finally {
            read.cancel(true);
            closed(body);
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            return Optional.empty(); // the HTTP-date form: ignored, our own backoff applies
        }
    }

    private static String receiver(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
