package dev.linkwell.service.ops;

import dev.linkwell.service.storage.StorageProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness component {@code storage}: the backend takes writes (the storage root an atomic, fsynced write;
 * PostgreSQL a connection that is not read-only). A full disk, a read-only mount, a wrong owner or an
 * unreachable database makes the service not ready before it loses credentials.
 */
@Component
class StorageHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(StorageHealthIndicator.class);

    private final StorageProbe probe;

    StorageHealthIndicator(StorageProbe probe) {
        this.probe = probe;
    }

    @Override
    public Health health() {
        try {
            probe.check();
            return Health.up().build();
        } catch (Exception e) {
            log.warn("Storage is not ready: {}", e.toString());
            return Health.down()
                    .withDetail(
                            "error",
                            "the storage does not take writes: " + e.getClass().getSimpleName())
                    .build();
        }
    }
}
