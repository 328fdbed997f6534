package dev.linkwell.service.session;

import dev.linkwell.service.storage.StorageProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

    /** Runs delayed reconnects; tasks only open a socket, so two threads serve many sessions. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sessionScheduler() {
        return Executors.newScheduledThreadPool(
                2, Thread.ofPlatform().name("session-scheduler-", 0).daemon().factory());
    }

    /** File storage: one node, which owns every session. With PostgreSQL the cluster's leases decide (ADR 0015). */
    @Bean
    @ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.FILE, matchIfMissing = true)
    SessionOwnership soleOwnership() {
        return SessionOwnership.SOLE;
    }
}
