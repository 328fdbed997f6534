package dev.linkwell.client.pair;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class QrPairingTest {

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void qrTextIsTheLinkedDevicesUrlWithRefThreeBase64KeysAndClientType() {
        String text = QrPairing.qrText("2@abc", filled(1), filled(2), filled(3), "1");
        assertThat(text).startsWith("https://wa.me/settings/linked_devices#");
        String[] parts = text.substring(text.indexOf('#') + 1).split(",");
        assertThat(parts).hasSize(5);
        assertThat(parts[0]).isEqualTo("2@abc");
        assertThat(parts[4]).isEqualTo("1");
        assertThat(Base64.getDecoder().decode(parts[1])).isEqualTo(filled(1));
        assertThat(Base64.getDecoder().decode(parts[2])).isEqualTo(filled(2));
        assertThat(Base64.getDecoder().decode(parts[3])).isEqualTo(filled(3));
        // standard alphabet with padding, as Buffer.toString('base64') in Baileys
        assertThat(parts[1]).isEqualTo("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
    }

    @Test
    void firstRefLivesLongerThenRefsRunOut() {
        QrPairing qr = new QrPairing(
                List.of("r1", "r2", "r3"),
                filled(1),
                filled(2),
                filled(3),
                "1",
                Duration.ofSeconds(60),
                Duration.ofSeconds(20));
        QrPairing.Shown a = qr.nextQr();
        QrPairing.Shown b = qr.nextQr();
        QrPairing.Shown c = qr.nextQr();
        assertThat(a.text()).startsWith(QrPairing.LINK_PREFIX + "r1,").endsWith(",1");
        assertThat(a.ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.text()).startsWith(QrPairing.LINK_PREFIX + "r2,");
        assertThat(b.ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(qr.nextQr()).isNull();
        assertThat(a.toString()).doesNotContain("AQEB");
    }
}
