package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QrCodeTest {

    private static final String K = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString(filled(32, 7));
    private static final String K3 = Base64.getEncoder().encodeToString(filled(32, 9));
    private static final String URL = "https://wa.me/settings/linked_devices#";

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void readsTodaysUrlFormAsWhatsmeowAndBaileys7BuildIt() {
        // whatsmeow pair.go makeQRData; Baileys 7 buildPairingQRData (Chrome = "1")
        QrCode qr = QrCode.parse(URL + "2@abc/+==," + K2 + "," + K3 + "," + K + ",1");
        assertThat(qr.ref()).isEqualTo("2@abc/+==");
        assertThat(qr.noisePublicKey()).isEqualTo(filled(32, 7));
        assertThat(qr.identityPublicKey()).isEqualTo(filled(32, 9));
        assertThat(qr.advSecret()).isEqualTo(new byte[32]);
        assertThat(qr.platformId()).isEqualTo("1");
    }

    @Test
    void readsEveryCompanionClientTypeOfWhatsmeow() {
        for (String type : new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "c", "e"}) {
            assertThat(QrCode.parse(URL + "r," + K + "," + K + "," + K + "," + type)
                            .platformId())
                    .isEqualTo(type);
        }
    }

    @Test
    void readsTheOldBareFormWithoutAPlatform() {
        QrCode qr = QrCode.parse("2@abc==," + K + "," + K2 + "," + K);
        assertThat(qr.ref()).isEqualTo("2@abc==");
        assertThat(qr.identityPublicKey()).isEqualTo(filled(32, 7));
        assertThat(qr.platformId()).isNull();
    }

    @Test
    void bothFormsOfTheSameCodeNameTheSameKeys() {
        QrCode url = QrCode.parse(" " + URL + "r," + K2 + "," + K3 + "," + K + ",1\n");
        QrCode bare = QrCode.parse("r," + K2 + "," + K3 + "," + K);
        assertThat(url.ref()).isEqualTo(bare.ref());
        assertThat(url.noisePublicKey()).isEqualTo(bare.noisePublicKey());
        assertThat(url.identityPublicKey()).isEqualTo(bare.identityPublicKey());
        assertThat(url.advSecret()).isEqualTo(bare.advSecret());
        assertThat(url).isNotEqualTo(bare);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "bare, three parts|a,b,c|3 comma-separated parts",
                "bare, five parts (a platform only comes with the URL)|r,K,K,K,1|5 comma-separated parts",
                "URL, four parts|URLr,K,K,K|got 4 parts",
                "URL, six parts|URLr,K,K,K,1,x|got 6 parts",
                "URL, empty fragment|URL|got 1 parts",
                "other URL|https://example.com/#r,K,K,K,1|must start with https://wa.me/settings/linked_devices#",
                "URL, wrong path|https://wa.me/settings/devices#r,K,K,K,1|must start with",
                "URL, unknown platform|URLr,K,K,K,WEB|platform id \"WEB\"",
                "URL, empty platform|URLr,K,K,K,|platform id \"\"",
                "empty ref|,K,K,K|ref is empty",
                "URL, empty ref|URL,K,K,K,1|ref is empty",
                "noise not base64|r,***,K,K|noise public key is not base64",
                "identity short|URLr,K,AAAA,K,1|identity public key must be 32 bytes",
                "adv short|r,K,K,AAAA|adv secret must be 32 bytes",
            })
    void malformedTextIsA400WithAClearMessage(String what, String text, String message) {
        String qr = text.replace("URL", URL).replace("K", K);
        assertThatThrownBy(() -> QrCode.parse(qr))
                .as(what)
                .isInstanceOf(SimulatorException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((SimulatorException) e).status())
                .isEqualTo(400);
    }

    @Test
    void emptyTextIsA400() {
        assertThatThrownBy(() -> QrCode.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> QrCode.parse("  ")).hasMessageContaining("empty");
    }

    @Test
    void copiesKeys() {
        QrCode qr = QrCode.parse("r," + K2 + "," + K2 + "," + K2);
        qr.noisePublicKey()[0] = 0;
        assertThat(qr.noisePublicKey()[0]).isEqualTo((byte) 7);
    }
}
