package dev.linkwell.service.storage.backend;

import dev.linkwell.service.storage.StorageProbe;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.postgres.Fence;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.storage.postgres.PostgresSessionKeyStore;
import dev.linkwell.service.storage.postgres.PostgresSessionStateStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code STORAGE=postgres}: credentials, session rows and API keys in PostgreSQL, each write under the node's lease
 * on its session (the {@link Fence} comes from the cluster configuration, which also keeps the event log; the
 * webhook configuration keeps the outbox).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.POSTGRES)
class PostgresStorageConfiguration {

    @Bean(destroyMethod = "close")
    PostgresDatabase postgresDatabase(StorageProperties properties) {
        return PostgresDatabase.open(properties.database());
    }

    @Bean
    PostgresCredentialStore postgresCredentialStore(PostgresDatabase database, Fence fence) {
        return new PostgresCredentialStore(database, fence);
    }

    @Bean
    PostgresSessionStateStore sessionStateStore(PostgresDatabase database, JsonMapper json, Fence fence) {
        return new PostgresSessionStateStore(database, json, fence);
    }

    @Bean
    PostgresSessionKeyStore sessionKeyStore(PostgresDatabase database, Fence fence) {
        return new PostgresSessionKeyStore(database, fence);
    }

    /** A connection answers and the database is not read-only. */
    @Bean
    StorageProbe storageProbe(PostgresDatabase database) {
        return database::check;
    }
}
