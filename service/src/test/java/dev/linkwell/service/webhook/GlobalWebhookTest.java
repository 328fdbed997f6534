package dev.linkwell.service.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.LinkwellApplication;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.StartOptions;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ScriptedEngineConfiguration;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.service.support.WebhookReceiver;
import dev.linkwell.service.support.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The global receivers from WEBHOOK_URL, WEBHOOK_EVENTS and WEBHOOK_SECRET, and what the service says at start. */
@ExtendWith(OutputCaptureExtension.class)
class GlobalWebhookTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET = "global-secret-0123456789";

    @Test
    void everyGlobalReceiverGetsTheChosenTypesSignedWithTheGlobalSecret() throws Exception {
        try (WebhookReceiver one = new WebhookReceiver();
                WebhookReceiver two = new WebhookReceiver();
                ConfigurableApplicationContext service = start(
                        "--linkwell.webhooks.urls=" + one.url() + "," + two.url(),
                        "--linkwell.webhooks.events=session.qr,session.closed",
                        "--linkwell.webhooks.secret=" + SECRET)) {
            service.getBean(SessionService.class).ensure("global-1", StartOptions.DEFAULTS);
            service.getBean(SessionService.class).close("global-1");

            for (WebhookReceiver receiver : List.of(one, two)) {
                List<Received> got = receiver.await(r -> true, 2, WAIT);
                assertThat(got)
                        .extracting(r -> r.envelope().get("type"))
                        .containsExactly("session.qr", "session.closed");
                for (Received r : got) {
                    assertThat(r.header("X-Linkwell-Signature"))
                            .isEqualTo("sha256="
                                    + WebhookDeliveryTest.hmac(
                                            SECRET,
                                            r.header("X-Linkwell-Timestamp") + "." + WebhookDeliveryTest.text(r)));
                }
            }
        }
    }

    @Test
    void withoutKeysOrSecretTheServiceSaysSoAtStartAndDeliversUnsigned(CapturedOutput output) {
        try (WebhookReceiver receiver = new WebhookReceiver();
                ConfigurableApplicationContext service = start("--linkwell.webhooks.urls=" + receiver.url())) {
            service.getBean(SessionService.class).ensure("global-2", StartOptions.DEFAULTS);

            assertThat(receiver.await(r -> true, 2, WAIT))
                    .allSatisfy(
                            r -> assertThat(r.header("X-Linkwell-Signature")).isNull());
            assertThat(output.getOut())
                    .contains(
                            "NO API_KEY IS SET",
                            "WEBHOOK_SECRET is not set: deliveries to [" + receiver.url() + "] are NOT signed");
        }
    }

    @Test
    void aBadGlobalSettingStopsTheStartWithAClearMessage() {
        assertThatThrownBy(() ->
                        start("--linkwell.webhooks.urls=ftp://example.com/x").close())
                .hasStackTraceContaining(
                        "Invalid global webhook setting (WEBHOOK_URL, WEBHOOK_EVENTS, WEBHOOK_SECRET): "
                                + "webhook url must start with http:// or https://");
    }

    private static ConfigurableApplicationContext start(String... settings) {
        String[] args = new String[settings.length + 4];
        args[0] = "--server.port=0";
        args[1] = "--linkwell.storage.root=" + TestStorage.tempRoot("linkwell-global-webhooks");
        args[2] = "--linkwell.sessions.default-provider=" + ScriptedEngine.PROVIDER;
        args[3] = "--linkwell.sessions.start-wait=2s";
        System.arraycopy(settings, 0, args, 4, settings.length);
        return new SpringApplicationBuilder(LinkwellApplication.class, ScriptedEngineConfiguration.class).run(args);
    }
}
