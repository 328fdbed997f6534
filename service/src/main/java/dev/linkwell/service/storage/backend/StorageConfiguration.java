package dev.linkwell.service.storage.backend;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.StorageRoot;
import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.EncryptingCredentialStore;
import dev.linkwell.service.storage.crypto.KeyCheck;
import dev.linkwell.service.storage.crypto.Keyring;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * What every backend shares: the storage root (the WhatsApp Web version cache lives there whatever the
 * backend) and the credential store engines get, which seals records when {@code STORAGE_KEY} is set. The
 * backend itself comes from {@link FileStorageConfiguration} or {@link PostgresStorageConfiguration},
 * chosen by {@code STORAGE}.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    StorageRoot storageRoot(StorageProperties properties) {
        return new StorageRoot(properties.root());
    }

    /**
     * Refuses to start when stored records need a key that is not configured: nothing is read or written
     * before the keys are known to fit.
     */
    @Bean
    @Primary
    CredentialStore credentialStore(StorageProperties properties, CredentialBackend backend) {
        Keyring keys =
                Keyring.load(properties.key(), properties.keyFile(), properties.oldKey(), properties.oldKeyFile());
        KeyCheck.verifyAndReport(backend, keys);
        return new EncryptingCredentialStore(backend, keys);
    }
}
