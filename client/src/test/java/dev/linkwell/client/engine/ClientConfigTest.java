package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.noise.TrustAnchor;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void defaultsAimAtWhatsAppWithItsRoot() {
        ClientConfig c = ClientConfig.defaults();
        assertThat(c.url()).isEqualTo(URI.create("wss://web.whatsapp.com/ws/chat"));
        assertThat(c.origin()).isEqualTo("https://web.whatsapp.com");
        assertThat(java.util.HexFormat.of().formatHex(c.trustAnchor())).isEqualTo(TrustAnchor.WHATSAPP_ROOT_HEX);
        assertThat(c.qrFirstTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.qrNextTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.versionString()).isEqualTo("2.3000.1045649367");
        assertThat(c.pairingDisplay()).isEqualTo("Chrome (Linux)");
        assertThat(c.clientTypeId()).isEqualTo("1");
        assertThat(c).isEqualTo(c.toBuilder().build());
        assertThat(c).isNotEqualTo(c.toBuilder().trustAnchor(new byte[32]).build());
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(
                        () -> ClientConfig.builder().trustAnchor(new byte[31]).build())
                .hasMessageContaining("32-byte");
        assertThatThrownBy(() -> ClientConfig.builder()
                        .keepaliveInterval(Duration.ofSeconds(30))
                        .deadLinkTimeout(Duration.ofSeconds(30))
                        .build())
                .hasMessageContaining("deadLinkTimeout");
        assertThatThrownBy(() -> ClientConfig.builder().iqTimeout(Duration.ZERO).build())
                .hasMessageContaining("iqTimeout");
    }

    @Test
    void trustAnchorIsCopied() {
        byte[] anchor = new byte[32];
        ClientConfig c = ClientConfig.builder().trustAnchor(anchor).build();
        anchor[0] = 1;
        assertThat(c.trustAnchor()[0]).isZero();
        c.trustAnchor()[1] = 1;
        assertThat(c.trustAnchor()[1]).isZero();
    }
}
