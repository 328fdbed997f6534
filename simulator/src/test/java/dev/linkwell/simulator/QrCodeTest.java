package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class QrCodeTest {

    private static final String K = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString(filled(32, 7));

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void parsesFourPartsAsBaileysBuildsThem() {
        QrCode qr = QrCode.parse("2@abc==," + K + "," + K2 + "," + K);
        assertThat(qr.ref()).isEqualTo("2@abc==");
        assertThat(qr.identityPublicKey()).isEqualTo(filled(32, 7));
        assertThat(qr.noisePublicKey()).hasSize(32);
        assertThat(qr.advSecret()).hasSize(32);
    }

    @Test
    void acceptsTheTrailingPlatformOfNewerClients() {
        assertThat(QrCode.parse("ref," + K + "," + K + "," + K + ",WEB").ref()).isEqualTo("ref");
    }

    @Test
    void rejectsWhatACameraWouldNotAccept() {
        assertThatThrownBy(() -> QrCode.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> QrCode.parse("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> QrCode.parse("a,b,c")).hasMessageContaining("3 parts");
        assertThatThrownBy(() -> QrCode.parse(",%s,%s,%s".formatted(K, K, K))).hasMessageContaining("ref");
        assertThatThrownBy(() -> QrCode.parse("r,***,%s,%s".formatted(K, K))).hasMessageContaining("base64");
        assertThatThrownBy(() -> QrCode.parse("r,AAAA,%s,%s".formatted(K, K))).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> QrCode.parse("r,%s,%s,%s".formatted(K, K, K) + ",a,b"))
                .isInstanceOf(SimulatorException.class)
                .extracting(e -> ((SimulatorException) e).status()).isEqualTo(400);
    }

    @Test
    void copiesKeys() {
        QrCode qr = QrCode.parse("r," + K2 + "," + K2 + "," + K2);
        qr.noisePublicKey()[0] = 0;
        assertThat(qr.noisePublicKey()[0]).isEqualTo((byte) 7);
    }
}
