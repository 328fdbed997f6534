package dev.linkwell.service.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** Expected value from outside Java: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'an-example-secret-123' */
    @Test
    void signsTimestampDotBodyWithHmacSha256AsOpensslDoes() {
        String signature = WebhookSignature.sign(
                "an-example-secret-123", 1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("sha256=bb309db3512ed6721f76f52f7f232bf852353ca9967d726a8ac8ce0a5c354bdd");
    }

    @Test
    void anotherTimestampOrBodyGivesAnotherSignature() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign("an-example-secret-123", 1_700_000_000L, body);

        assertThat(WebhookSignature.sign("an-example-secret-123", 1_700_000_001L, body))
                .isNotEqualTo(signature);
        assertThat(WebhookSignature.sign(
                        "an-example-secret-123", 1_700_000_000L, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(signature);
        assertThat(WebhookSignature.sign("another-example-secret", 1_700_000_000L, body))
                .isNotEqualTo(signature);
    }
}
