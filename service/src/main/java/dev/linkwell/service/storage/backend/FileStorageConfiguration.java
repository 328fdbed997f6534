package dev.linkwell.service.storage.backend;

import dev.linkwell.service.storage.FileCredentialStore;
import dev.linkwell.service.storage.FileSessionKeyStore;
import dev.linkwell.service.storage.FileSessionStateStore;
import dev.linkwell.service.storage.StorageLock;
import dev.linkwell.service.storage.StorageProbe;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.StorageRoot;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** {@code STORAGE=file}, the default: everything under {@code STORAGE_ROOT}, locked by this process. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.FILE, matchIfMissing = true)
class FileStorageConfiguration {

    @Bean(destroyMethod = "close")
    StorageLock storageLock(StorageRoot root) {
        return StorageLock.acquire(root);
    }

    /**
     * Cleans up what a crash left (temp files, half-deleted folders) before anyone reads; takes the lock
     * first, so that is never another process's write in progress.
     */
    @Bean
    FileCredentialStore fileCredentialStore(StorageRoot root, StorageLock lock) {
        FileCredentialStore store = new FileCredentialStore(root.path());
        store.removeLeftovers();
        return store;
    }

    @Bean
    FileSessionStateStore sessionStateStore(StorageRoot root, JsonMapper json) {
        return new FileSessionStateStore(root.path(), json);
    }

    @Bean
    FileSessionKeyStore sessionKeyStore(StorageRoot root, JsonMapper json) {
        return new FileSessionKeyStore(root.path(), json);
    }

    /** An atomic, fsynced write of a small file, read back and deleted. */
    @Bean
    StorageProbe storageProbe(StorageRoot root) {
        return root::checkWritable;
    }
}
