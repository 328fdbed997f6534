package dev.linkwell.client.pair;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PairingCodeTest {

    private static final HexFormat HEX = HexFormat.of();

    /** Expected values printed by Baileys 6.17.16 Utils/generics.js bytesToCrockford. */
    @Test
    void crockfordMatchesBaileys() {
        assertThat(PairingCode.toCrockford(HEX.parseHex("0123456789"))).isEqualTo("15JMBSWA");
        assertThat(PairingCode.toCrockford(HEX.parseHex("ffffffffff"))).isEqualTo("ZZZZZZZZ");
        assertThat(PairingCode.toCrockford(HEX.parseHex("a1b2c3d4e5"))).isEqualTo("M7SD8N86");
    }

    @Test
    void codesAreEightCharactersOfTheAlphabet() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            String code = PairingCode.create("5511999990000", random).code();
            assertThat(code).hasSize(8).matches("[1-9A-HJ-NP-TV-Z]{8}");
        }
    }

    /** Expected value printed by Baileys 6.17.16 Utils/crypto.js derivePairingCodeKey("ABCD1234", 32 x 0x07). */
    @Test
    void codeKeyMatchesBaileys() {
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) 7);
        assertThat(HEX.formatHex(PairingCode.codeKey("ABCD1234", salt)))
                .isEqualTo("3c9fb561c662b502ca2b9133821b6312ee08f3f57ade2b5e4c15434344af0a36");
    }

    @Test
    void wrapAndUnwrapRoundTrip() {
        SecureRandom random = new SecureRandom();
        byte[] pub = KeyPair.generate(random).publicKey();
        byte[] wrapped = PairingCode.wrap("ABCD1234", pub, random);
        assertThat(wrapped).hasSize(80);
        assertThat(PairingCode.unwrap("ABCD1234", wrapped)).isEqualTo(pub);
        assertThat(PairingCode.unwrap("ABCD1235", wrapped)).isNotEqualTo(pub);
    }

    @Test
    void companionHelloCarriesWhatWhatsmeowSends() {
        SecureRandom random = new SecureRandom();
        PairingCode pc = PairingCode.create("5511999990000", random);
        Node hello = pc.companionHello("1", new byte[32], "1", "Chrome (Linux)", random);
        Node reg = hello.child("link_code_companion_reg");
        assertThat(hello.attr("xmlns")).isEqualTo("md");
        assertThat(reg.attr("stage")).isEqualTo("companion_hello");
        assertThat(reg.attr("jid")).isEqualTo("5511999990000@s.whatsapp.net");
        assertThat(reg.attr("should_show_push_notification")).isEqualTo("true");
        assertThat(reg.child("companion_platform_id").contentString()).isEqualTo("1");
        assertThat(reg.child("companion_platform_display").contentString()).isEqualTo("Chrome (Linux)");
        assertThat(reg.child("link_code_pairing_nonce").contentBytes()).containsExactly(0);
        assertThat(reg.child("link_code_pairing_wrapped_companion_ephemeral_pub")
                        .contentBytes())
                .hasSize(80);
    }
}
