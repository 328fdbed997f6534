package dev.linkwell.protocol.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two token-table versions: version 3 equals whatsmeow's, the versions really differ, and the
 * failure the intro's version byte exists to prevent is real.
 */
class TokenTablesTest {

    /**
     * SHA-256 of whatsmeow's {@code SingleByteTokens} and four {@code DoubleByteTokens} lists
     * (binary/token/token.go at commit 33cfac5116293e4cb86f8e4099e8eaf6de7ebc08), in the form
     * {@link #canonical(TokenDictionary)} builds: each table's tokens joined by '\n', tables joined by
     * "\n\n". Computed from that file when the tables were taken; the conformance test also compares
     * every token with Baileys 7.0.0-rc14 installed from npm.
     */
    private static final String WHATSMEOW_33CFAC5_SHA256 =
            "1c35d77c0d8e5b960ef922aee68ef47bbe59af70ad9c7f96b194e0d37d5f3060";

    @Test
    void version3IsWhatsmeowsTables() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(canonical(TokenDictionary.V3).getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(WHATSMEOW_33CFAC5_SHA256);
        assertThat(TokenDictionary.V3.singleByteTokens()).hasSize(236);
        assertThat(TokenDictionary.V3.doubleByteTokens()).hasDimensions(4, 256);
    }

    @Test
    void versionsAreTheOnesTheIntroNames() {
        assertThat(TokenDictionary.forVersion(3)).isSameAs(TokenDictionary.V3);
        assertThat(TokenDictionary.forVersion(2)).isSameAs(TokenDictionary.V2);
        assertThat(TokenDictionary.CURRENT.version()).isEqualTo(3);
        assertThatThrownBy(() -> TokenDictionary.forVersion(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenDictionary.forVersion(1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Slot 9: broadcast in v2, notification in v3 (protocol-notes, "Transport"). */
    @Test
    void slotNineDiffers() {
        assertThat(TokenDictionary.V2.single(9)).isEqualTo("broadcast");
        assertThat(TokenDictionary.V3.single(9)).isEqualTo("notification");
    }

    /** Hand-derived from whatsmeow's list: iq = 25 (0x19), to = 17 (0x11), s.whatsapp.net = 3, type = 4, get = 41. */
    @Test
    void version3Vectors() {
        assertThat(HexFormat.of().formatHex(BinaryEncoder.encode(Node.of("iq"), TokenDictionary.V3)))
                .isEqualTo("f80119");
        Node iq = Node.builder("iq")
                .attr("to", "s.whatsapp.net")
                .attr("type", "get")
                .build();
        assertThat(HexFormat.of().formatHex(BinaryEncoder.encode(iq, TokenDictionary.V3)))
                .isEqualTo("f805191103" + "0429");
        // a double-byte token of v3 dictionary 0: "active" at index 1
        assertThat(HexFormat.of().formatHex(BinaryEncoder.encode(Node.of("active"), TokenDictionary.V3)))
                .isEqualTo("f801ec01");
        assertThat(BinaryDecoder.decode(HexFormat.of().parseHex("f805191103" + "0429"), TokenDictionary.V3))
                .isEqualTo(iq);
    }

    /**
     * The bug the intro byte prevents: a node written with v2 tables and read with v3 ones is garbled.
     * Our old {@code <iq>} (v2 token 30) reads as {@code <urn:xmpp:whatsapp:push>} in v3.
     */
    @Test
    void mixingVersionsGarblesEveryToken() {
        Node iq = Node.builder("iq").attr("type", "set").attr("xmlns", "md").build();
        Node misread = BinaryDecoder.decode(BinaryEncoder.encode(iq, TokenDictionary.V2), TokenDictionary.V3);
        assertThat(misread.tag()).isEqualTo("urn:xmpp:whatsapp:push");
        assertThat(misread).isNotEqualTo(iq);
        for (TokenDictionary d : List.of(TokenDictionary.V2, TokenDictionary.V3)) {
            assertThat(BinaryDecoder.decode(BinaryEncoder.encode(iq, d), d)).isEqualTo(iq);
        }
    }

    /** Every token of each version encodes to one token code and reads back with the same version. */
    @Test
    void everyTokenRoundTripsInItsOwnVersion() {
        for (TokenDictionary d : List.of(TokenDictionary.V2, TokenDictionary.V3)) {
            List<String> all = new ArrayList<>(List.of(d.singleByteTokens()).subList(1, 236));
            for (String[] table : d.doubleByteTokens()) {
                all.addAll(List.of(table));
            }
            for (String token : all) {
                byte[] enc = BinaryEncoder.encode(Node.of("iq", Map.of("to", token)), d);
                assertThat(BinaryDecoder.decode(enc, d).attr("to"))
                        .as("%s %s", d, token)
                        .isEqualTo(token);
                int valueBytes = enc.length - 4; // f8 03 <iq> <to>, then the value's token
                assertThat(valueBytes).as("%s %s is one token", d, token).isBetween(1, 2);
            }
        }
    }

    private static String canonical(TokenDictionary d) {
        List<String> tables = new ArrayList<>();
        tables.add(String.join("\n", d.singleByteTokens()));
        for (String[] table : d.doubleByteTokens()) {
            tables.add(String.join("\n", table));
        }
        return String.join("\n\n", tables);
    }
}
