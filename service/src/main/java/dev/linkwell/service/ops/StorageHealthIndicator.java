package dev.linkwell.service.ops;

import dev.linkwell.service.storage.StorageRoot;
import java.io.IOException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness component {@code storage}: the storage root takes an atomic, fsynced write. A full disk,
 * a read-only mount or a wrong owner makes the service not ready before it loses credentials.
 */
@Component
class StorageHealthIndicator implements HealthIndicator {

    private final StorageRoot root;

    StorageHealthIndicator(StorageRoot root) {
        this.root = root;
    }

    @Override
    public Health health() {
        try {
            root.checkWritable();
            return Health.up().build();
        } catch (IOException | RuntimeException e) {
            return Health.down().withDetail("error", "the storage root is not writable: " + e.getClass().getSimpleName()).build();
        }
    }
}
