package dev.linkwell.service.session;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
}
