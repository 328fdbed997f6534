package dev.linkwell.service.session;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.StoredSession;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * On boot, loads every stored session and starts again those that should run and have credentials.
 * At most {@code restoreParallelism} sessions connect at a time (each slot is held until the session
 * shows a QR, opens, stops or the start wait ends), so a restart does not open every socket at once.
 * File storage only: on PostgreSQL the nodes claim the sessions that should run (ADR 0015).
 */
@Component
@ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.FILE, matchIfMissing = true)
class SessionRestorer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SessionRestorer.class);

    private final SessionRegistry registry;
    private final DecisionRunner runner;
    private final SessionStateStore states;
    private final CredentialStore credentials;
    private final SessionProperties properties;

    SessionRestorer(
            SessionRegistry registry,
            DecisionRunner runner,
            SessionStateStore states,
            CredentialStore credentials,
            SessionProperties properties) {
        this.registry = registry;
        this.runner = runner;
        this.states = states;
        this.credentials = credentials;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<StoredSession> stored = states.loadAll();
        stored.forEach(registry::register);
        List<String> toStart = stored.stream()
                .filter(StoredSession::desiredRunning)
                .map(StoredSession::sessionId)
                .filter(credentials::exists)
                .toList();
        log.info("Found {} stored sessions; restoring {} that were running", stored.size(), toStart.size());
        if (!toStart.isEmpty()) {
            Thread.ofVirtual().name("session-restore").start(() -> restore(toStart));
        }
    }

    private void restore(List<String> ids) {
        Semaphore slots = new Semaphore(properties.restoreParallelism());
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                slots.acquireUninterruptibly();
                workers.submit(() -> {
                    try {
                        runner.resume(id);
                        registry.require(id).awaitSettled(properties.startWait());
                    } catch (RuntimeException e) {
                        SessionMdc.run(id, () -> log.error("Could not restore session: {}", e.getMessage()));
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }
}
