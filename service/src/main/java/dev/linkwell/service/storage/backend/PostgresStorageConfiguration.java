package dev.linkwell.service.storage.backend;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.storage.StorageProbe;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.storage.postgres.PostgresEventLog;
import dev.linkwell.service.storage.postgres.PostgresSessionKeyStore;
import dev.linkwell.service.storage.postgres.PostgresSessionStateStore;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** {@code STORAGE=postgres}: credentials, session rows, API keys, the webhook outbox and the event log in PostgreSQL. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.POSTGRES)
class PostgresStorageConfiguration {

    @Bean(destroyMethod = "close")
    PostgresDatabase postgresDatabase(StorageProperties properties) {
        return PostgresDatabase.open(properties.database());
    }

    @Bean
    PostgresCredentialStore postgresCredentialStore(PostgresDatabase database) {
        return new PostgresCredentialStore(database);
    }

    @Bean
    PostgresSessionStateStore sessionStateStore(PostgresDatabase database, JsonMapper json) {
        return new PostgresSessionStateStore(database, json);
    }

    @Bean
    PostgresSessionKeyStore sessionKeyStore(PostgresDatabase database) {
        return new PostgresSessionKeyStore(database);
    }

    @Bean(destroyMethod = "close")
    PostgresEventLog eventLog(
            PostgresDatabase database, EventBus bus, JsonMapper json, Clock clock, StorageProperties properties) {
        return new PostgresEventLog(database, bus, json, clock, properties.eventLogRetention());
    }

    /** A connection answers and the database is not read-only. */
    @Bean
    StorageProbe storageProbe(PostgresDatabase database) {
        return database::check;
    }
}
