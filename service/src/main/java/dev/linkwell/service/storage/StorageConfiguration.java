package dev.linkwell.service.storage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    FileCredentialStore fileCredentialStore(StorageProperties properties) {
        return new FileCredentialStore(properties.root());
    }

    @Bean
    SessionStateStore sessionStateStore(StorageProperties properties, JsonMapper json) {
        return new SessionStateStore(properties.root(), json);
    }

    @Bean
    SessionKeyStore sessionKeyStore(StorageProperties properties, JsonMapper json) {
        return new SessionKeyStore(properties.root(), json);
    }

    @Bean
    StorageRoot storageRoot(StorageProperties properties) {
        return new StorageRoot(properties.root());
    }
}
