package dev.linkwell.service.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.LinkwellApplication;
import dev.linkwell.service.session.SessionException;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.StartOptions;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ScriptedEngineConfiguration;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.service.support.WebhookReceiver;
import dev.linkwell.service.support.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Shutdown while a receiver holds a delivery: the service still stops (the dispatcher gives up after
 * its grace), the socket is closed, no session starts any more, and the delivery left in the outbox
 * goes out after the next start, with the same event id.
 */
class GracefulShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aHeldDeliveryNeitherBlocksShutdownNorGetsLost() throws Exception {
        Path root = TestStorage.tempRoot("linkwell-shutdown");
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver receiver =
                new WebhookReceiver().answering(r -> new WebhookReceiver.Answer.Hold(release))) {
            ConfigurableApplicationContext first = start(root, receiver.url());
            SessionService sessions = first.getBean(SessionService.class);
            ScriptedEngine engine = first.getBean(ScriptedEngine.class);
            sessions.ensure("held", StartOptions.DEFAULTS);
            Received held = receiver.await(r -> true, 1, WAIT).getFirst();

            Thread closing = Thread.ofPlatform().start(first::close);
            closing.join(WAIT);

            assertThat(closing.isAlive())
                    .as("shutdown finished although the receiver still holds a delivery")
                    .isFalse();
            assertThat(engine.latest("held").isClosed())
                    .as("socket closed on shutdown")
                    .isTrue();
            assertThatThrownBy(() -> sessions.ensure("late", StartOptions.DEFAULTS))
                    .isInstanceOfSatisfying(
                            SessionException.class,
                            e -> assertThat(e.kind()).isEqualTo(SessionException.Kind.UNAVAILABLE));

            release.countDown();
            try (ConfigurableApplicationContext second = start(root, receiver.url())) {
                List<Received> again = receiver.await(r -> r.eventId().equals(held.eventId()), 2, WAIT);
                assertThat(again)
                        .extracting(Received::body)
                        .allSatisfy(b -> assertThat(b).isEqualTo(held.body()));
            }
        }
    }

    private static ConfigurableApplicationContext start(Path root, String url) {
        return new SpringApplicationBuilder(LinkwellApplication.class, ScriptedEngineConfiguration.class)
                .run(
                        "--server.port=0",
                        "--linkwell.storage.root=" + root,
                        "--linkwell.sessions.default-provider=scripted",
                        "--linkwell.sessions.start-wait=2s",
                        "--linkwell.webhooks.urls=" + url,
                        "--linkwell.webhooks.timeout=60s",
                        "--linkwell.webhooks.shutdown-grace=300ms",
                        "--spring.lifecycle.timeout-per-shutdown-phase=2s");
    }
}
