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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One HTTP attempt at one outbox row, and its outcome recorded: delivered, retried later (after the policy's delay
 * or the receiver's {@code Retry-After}) or a dead letter. The {@link WebhookDispatcher} decides which row and when.
 */
final class WebhookAttempt implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookAttempt.class);
    private static final int ERROR_SNIPPET = 200;

    private final OutboxStore store;
    private final WebhookTargets targets;
    private final WebhookProperties properties;
    private final RetryPolicy policy;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final ExecutorService reads;
    private final HttpClient http;

    /** {@code reads} reads error answers, so a receiver that stalls after its status cannot hold an attempt. */
    WebhookAttempt(
            OutboxStore store,
            WebhookTargets targets,
            WebhookProperties properties,
            RetryPolicy policy,
            WebhookMetrics metrics,
            Clock clock,
            ExecutorService reads) {
        this.store = store;
        this.targets = targets;
        this.properties = properties;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.reads = reads;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** One attempt, unless another node is making one (several nodes share a PostgreSQL outbox); false then. */
    boolean make(long id) {
        try {
            if (!store.claim(id)) {
                return false;
            }
        } catch (SQLException e) {
            log.error("Cannot take webhook delivery {}: {}", id, e.toString());
            return false;
        }
        try {
            attempt(id);
            return true;
        } finally {
            try {
                store.unclaim(id);
            } catch (SQLException e) {
                log.warn(
                        "Cannot hand webhook delivery {} back; other nodes take it when its claim runs out: {}",
                        id,
                        e.toString());
            }
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
                    .flatMap(WebhookAttempt::seconds)
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
            read = reads.submit(() -> body.readNBytes(ERROR_SNIPPET));
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

    @Override
    public void close() {
        http.shutdownNow();
    }
}
