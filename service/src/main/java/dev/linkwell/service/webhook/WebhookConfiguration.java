package dev.linkwell.service.webhook;

import dev.linkwell.service.config.StartupFailure;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.StorageRoot;
import dev.linkwell.service.storage.postgres.Fence;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    /** {@code STORAGE=file} (the default): SQLite under the storage root. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.FILE, matchIfMissing = true)
    OutboxStore sqliteOutboxStore(StorageRoot root) {
        try {
            return SqliteOutboxStore.open(root);
        } catch (IOException | SQLException e) {
            throw new StartupFailure(
                    "Cannot open the webhook outbox under " + root.path().resolve("webhooks")
                            + " (is another Linkwell running on the same STORAGE_ROOT?): " + e.getMessage(),
                    "Stop the other Linkwell that uses this STORAGE_ROOT, or make the folder writable by this user.",
                    e);
        }
    }

    /** {@code STORAGE=postgres}: the {@code webhook_delivery} table. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.POSTGRES)
    OutboxStore postgresOutboxStore(PostgresDatabase database, Fence fence, WebhookProperties properties) {
        // a node that stalls (paused, or in a long GC) past this may see its row sent by another: at least once
        return new PostgresOutboxStore(
                database,
                fence,
                properties.timeout().plus(properties.connectTimeout()).plusSeconds(10));
    }

    @Bean
    WebhookMetrics webhookMetrics(MeterRegistry registry, Clock clock, OutboxStore store) {
        return new WebhookMetrics(registry, clock, store);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(
            OutboxStore store,
            WebhookTargets targets,
            WebhookProperties properties,
            WebhookMetrics metrics,
            Clock clock) {
        RetryPolicy policy = new RetryPolicy(
                properties.backoffBase(),
                properties.backoffCap(),
                properties.maxAttempts(),
                RandomGenerator.getDefault());
        return new WebhookDispatcher(store, targets, properties, policy, metrics, clock);
    }

    @Bean(destroyMethod = "close")
    WebhookOutbox webhookOutbox(
            EventBus bus,
            OutboxStore store,
            WebhookTargets targets,
            WebhookDispatcher dispatcher,
            WebhookMetrics metrics,
            JsonMapper json,
            Clock clock) {
        return new WebhookOutbox(bus, store, targets, dispatcher, metrics, json, clock);
    }
}
