package dev.linkwell.service.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook series: {@code linkwell_webhook_deliveries_total}, {@code linkwell_webhook_failures_total{reason}}
 * (failed attempts: status, timeout, connection), {@code linkwell_webhook_dead_letters_total} (events
 * given up on), {@code linkwell_webhook_enqueue_failures_total} (events the outbox could not store),
 * and the gauges {@code linkwell_webhook_queue_depth}, {@code linkwell_webhook_queue_age_seconds}
 * (age of the oldest pending row) and {@code linkwell_webhook_dead_letters_stored}.
 */
final class WebhookMetrics {

    private static final Logger log = LoggerFactory.getLogger(WebhookMetrics.class);
    private static final long STATS_TTL_MILLIS = 1000;

    private final MeterRegistry registry;
    private final Counter delivered;
    private final Counter deadLettered;
    private final Counter enqueueFailures;
    private final Clock clock;
    private final OutboxStore store;
    private OutboxStore.Stats stats = new OutboxStore.Stats(0, null, 0);
    private long statsAt;

    WebhookMetrics(MeterRegistry registry, Clock clock, OutboxStore store) {
        this.registry = registry;
        this.clock = clock;
        this.store = store;
        this.delivered = Counter.builder("linkwell.webhook.deliveries")
                .description("Events a receiver accepted (2xx)")
                .register(registry);
        this.deadLettered = Counter.builder("linkwell.webhook.dead.letters")
                .description("Events moved to the dead letters")
                .register(registry);
        this.enqueueFailures = Counter.builder("linkwell.webhook.enqueue.failures")
                .description("Events the outbox could not store")
                .register(registry);
        Gauge.builder("linkwell.webhook.queue.depth", this, m -> m.stats().pending())
                .description("Deliveries waiting in the outbox")
                .register(registry);
        TimeGauge.builder("linkwell.webhook.queue.age", this, TimeUnit.MILLISECONDS, m -> {
                    Long oldest = m.stats().oldestPendingCreatedAt();
                    return oldest == null ? 0 : Math.max(0, clock.millis() - oldest);
                })
                .description("Age of the oldest delivery waiting in the outbox")
                .register(registry);
        Gauge.builder(
                        "linkwell.webhook.dead.letters.stored",
                        this,
                        m -> m.stats().dead())
                .description("Dead letters kept in the outbox")
                .register(registry);
    }

    void delivered() {
        delivered.increment();
    }

    void failed(String reason) {
        registry.counter("linkwell.webhook.failures", "reason", reason).increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void enqueueFailed() {
        enqueueFailures.increment();
    }

    /** One outbox query per second at most, however many gauges a scrape reads. */
    private synchronized OutboxStore.Stats stats() {
        long now = clock.millis();
        if (now - statsAt >= STATS_TTL_MILLIS) {
            try {
                stats = store.stats();
                statsAt = now;
            } catch (SQLException e) {
                log.warn("Cannot read outbox statistics: {}", e.toString());
            }
        }
        return stats;
    }
}
