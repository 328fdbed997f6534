package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WhatsAppPaddingTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void padsWithNBytesOfValueN() {
        assertThat(HEX.formatHex(WhatsAppPadding.pad(HEX.parseHex("0a0b"), 3))).isEqualTo("0a0b030303");
        assertThat(HEX.formatHex(WhatsAppPadding.pad(new byte[0], 1))).isEqualTo("01");
        assertThat(WhatsAppPadding.pad(new byte[5], 16)).hasSize(21).endsWith(new byte[] {16, 16});
        assertThatThrownBy(() -> WhatsAppPadding.pad(new byte[1], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WhatsAppPadding.pad(new byte[1], 17)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomPaddingUsesEveryLengthFromOneToSixteenAndUnpads() {
        SecureRandom random = new SecureRandom();
        Set<Integer> lengths = new HashSet<>();
        byte[] body = "hello".getBytes();
        for (int i = 0; i < 2000; i++) {
            byte[] padded = WhatsAppPadding.pad(body, random);
            lengths.add(padded.length - body.length);
            assertThat(WhatsAppPadding.unpad(padded)).isEqualTo(body);
        }
        assertThat(lengths).hasSize(16).allMatch(n -> n >= 1 && n <= 16);
    }

    @Test
    void unpadAcceptsAnyConsistentPad() {
        assertThat(WhatsAppPadding.unpad(HEX.parseHex("0101"))).containsExactly(1);
        assertThat(WhatsAppPadding.unpad(HEX.parseHex("0202"))).isEmpty();
        // whatsmeow pads with up to 15, other senders could use more: only consistency matters
        byte[] big = new byte[40];
        java.util.Arrays.fill(big, (byte) 20);
        assertThat(WhatsAppPadding.unpad(big)).hasSize(20);
    }

    @Test
    void malformedPaddingIsAnInvalidMessage() {
        for (String bad : new String[] {"", "00", "0a0b00", "02", "05050505", "0a010302", "ff"}) {
            assertThatThrownBy(() -> WhatsAppPadding.unpad(HEX.parseHex(bad)))
                    .as(bad)
                    .isInstanceOf(InvalidMessageException.class);
        }
        assertThatThrownBy(() -> WhatsAppPadding.unpad(null)).isInstanceOf(InvalidMessageException.class);
    }
}
