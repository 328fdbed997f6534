package dev.linkwell.service.webhook;

import java.sql.SQLException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness component {@code outbox}: the outbox database answers a query, the dispatcher can read
 * it, and the last event was stored. Receivers being down does not count: that is what the outbox
 * is for, and the queue metrics show it.
 */
@Component
class OutboxHealthIndicator implements HealthIndicator {

    private final OutboxStore store;
    private final WebhookDispatcher dispatcher;
    private final WebhookOutbox outbox;

    OutboxHealthIndicator(OutboxStore store, WebhookDispatcher dispatcher, WebhookOutbox outbox) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.outbox = outbox;
    }

    @Override
    public Health health() {
        try {
            store.check();
        } catch (SQLException e) {
            return Health.down()
                    .withDetail("error", "the outbox database cannot be read")
                    .build();
        }
        if (!dispatcher.storeHealthy()) {
            return Health.down()
                    .withDetail("error", "the dispatcher cannot read the outbox")
                    .build();
        }
        if (outbox.lastFailure() != null) {
            return Health.down()
                    .withDetail("error", "the last event could not be stored")
                    .build();
        }
        return Health.up().build();
    }
}
