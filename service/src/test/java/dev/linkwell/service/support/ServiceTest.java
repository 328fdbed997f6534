package dev.linkwell.service.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A real server on a random port with the {@link ScriptedEngine} as default provider, fast backoff
 * (reconnects and webhook retries), a short webhook timeout, a short start wait and a fresh temp
 * storage root (read it from {@code StorageProperties}). Classes using it share one context, so each
 * test uses its own session ids.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "linkwell.sessions.default-provider=scripted",
            "linkwell.sessions.start-wait=2s",
            "linkwell.sessions.backoff-base=40ms",
            "linkwell.sessions.backoff-cap=300ms",
            "linkwell.events.buffer-size=200",
            "linkwell.storage.root=target/test-storage/${random.uuid}",
            "linkwell.webhooks.backoff-base=20ms",
            "linkwell.webhooks.backoff-cap=100ms",
            "linkwell.webhooks.timeout=400ms",
            "linkwell.webhooks.max-attempts=4",
        })
@Import(ScriptedEngineConfiguration.class)
public @interface ServiceTest {}
