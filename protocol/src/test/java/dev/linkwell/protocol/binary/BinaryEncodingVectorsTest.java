package dev.linkwell.protocol.binary;

import static dev.linkwell.protocol.binary.TokenDictionary.V2;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-derived byte vectors for each encoding form (packing, JIDs, lengths, lists), written with the
 * dictionary version 2 tables: the forms do not depend on the version, only the token bytes do, and
 * {@link TokenTablesTest} covers version 3's. Token numbers come from the v2 tables
 * (Baileys 6.17.16 constants.js): iq=30 (0x1e), id=8, type=4, get=49 (0x31), xmlns=25 (0x19),
 * w:p=95 (0x5f), ping=80 (0x50), s.whatsapp.net=3, g.us=19 (0x13), to=14 (0x0e), call=100;
 * double-byte: device=0/6, relay=0/1, invalid=1/255, contact_blacklist=3/0, video_duration=0/255.
 */
class BinaryEncodingVectorsTest {

    /** Encodes, checks the bytes, decodes, checks the node comes back. */
    private static void vector(Node node, String hex) {
        byte[] encoded = BinaryEncoder.encode(node, V2);
        assertThat(Hex.of(encoded)).isEqualTo(hex.replace(" ", ""));
        assertThat(BinaryDecoder.decode(encoded, V2)).isEqualTo(node);
    }

    /** The node {@code <iq to=VALUE/>}: list of 3, iq, to, then VALUE's encoding. */
    private static String attrValueBytes(String value) {
        String hex = Hex.of(BinaryEncoder.encode(Node.of("iq", Map.of("to", value)), V2));
        assertThat(hex).startsWith("f8031e0e");
        assertThat(BinaryDecoder.decode(Hex.bytes(hex), V2).attr("to")).isEqualTo(value);
        return hex.substring(8);
    }

    @Test
    void tagOnly() {
        vector(Node.of("iq"), "f8 01 1e");
    }

    @Test
    void frameHasLeadingZeroFlagLikeBaileysEncodeBinaryNode() {
        assertThat(Hex.of(BinaryFrames.encodeFrame(Node.of("iq"), V2))).isEqualTo("00f8011e");
        assertThat(BinaryFrames.decodeFrame(Hex.bytes("00 f8 01 1e"), V2)).isEqualTo(Node.of("iq"));
        // any flag without bit 2 is "not compressed"
        assertThat(BinaryFrames.decodeFrame(Hex.bytes("01 f8 01 1e"), V2)).isEqualTo(Node.of("iq"));
    }

    @Test
    void attributesInOrderWithRawString() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("id", "abc");
        attrs.put("type", "get");
        // list 5 = 2*2+1; "abc" is neither token nor packable nor JID: BINARY_8 3 'a' 'b' 'c'
        vector(Node.of("iq", attrs), "f8 05 1e 08 fc03616263 04 31");
    }

    @Test
    void childList() {
        Node iq = Node.builder("iq")
                .attr("xmlns", "w:p")
                .attr("type", "get")
                .child(Node.of("ping"))
                .build();
        // list 6 = 2*2+1+1, content LIST_8 1 then <ping/>
        vector(iq, "f8 06 1e 19 5f 04 31 f8 01 f8 01 50");
    }

    @Test
    void emptyChildListIsListEmpty() {
        vector(Node.withChildren("iq", Map.of(), List.of()), "f8 02 1e 00");
    }

    @Test
    void list16ForMoreThan255Children() {
        List<Node> kids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            kids.add(Node.of("ping"));
        }
        byte[] enc = BinaryEncoder.encode(Node.withChildren("iq", Map.of(), kids), V2);
        assertThat(Hex.of(Arrays.copyOf(enc, 6))).isEqualTo("f8021ef9012c"); // 300 = 0x012c
        assertThat(enc).hasSize(6 + 300 * 3);
        assertThat(BinaryDecoder.decode(enc, V2).children()).hasSize(300);
    }

    @ParameterizedTest
    @CsvSource({
        // double-byte tokens: DICTIONARY_0 + dict, then index
        "device, ec06",
        "relay, ec01",
        "video_duration, ecff",
        "invalid, edff",
        "contact_blacklist, ef00",
        // single-byte tokens
        "s.whatsapp.net, 03",
        "call, 64",
        // empty string: raw with length 0 (Baileys 7 and whatsmeow; Baileys 6.17.16 wrote token 0)
        "'', fc00",
        // NIBBLE_8: length byte = ceil(n/2), high bit when odd, pad nibble f; - = a, . = b
        "5678, ff025678",
        "123, ff82123f",
        "-., ff01ab",
        "1.5-, ff021b5a",
        "987, ff82987f",
        // HEX_8 (upper case only)
        "ABC, fb82abcf",
        "DEADBEEF, fb04deadbeef",
        // lower-case hex is raw
        "deadbeef, fc086465616462656566",
        // JID_PAIR: user (any string form, empty = 00), then server
        "123@s.whatsapp.net, fa ff82123f 03",
        "@s.whatsapp.net, fa 00 03",
        "abc@g.us, fa fc03616263 13",
        "123@lid, fa ff82123f fc036c6964",
        // AD_JID: domain type (0 user, 1 lid, 128 hosted, 129 hosted.lid), device, user
        "123:4@s.whatsapp.net, f7 00 04 ff82123f",
        "123:4@lid, f7 01 04 ff82123f",
        "5678:3@hosted, f7 80 03 ff025678",
        "12:3@hosted, f7 80 03 ae", // user "12" is single-byte token 174
        "5678:255@hosted.lid, f7 81 ff ff025678",
        // not lossless as AD_JID, so raw (Baileys would write lossy AD_JIDs here)
        "1:0@s.whatsapp.net, fc12313a3040732e77686174736170702e6e6574",
        "1:2@g.us, fc08313a3240672e7573",
        "1:256@lid, fc09313a323536406c6964",
        // empty server: raw (Baileys writes a JID pair it cannot read back)
        "abc@, fc0461626340",
        // a second '@': raw
        "a@b@c, fc056140624063",
    })
    void stringForms(String value, String hex) {
        assertThat(attrValueBytes(value)).isEqualTo(hex.replace(" ", ""));
    }

    @Test
    void packedMaxIs127Characters() {
        String n127 = "1".repeat(127);
        assertThat(attrValueBytes(n127)).startsWith("ffc0"); // 64 bytes | odd flag
        String n128 = "1".repeat(128);
        assertThat(attrValueBytes(n128)).startsWith("fc80"); // raw, 128 bytes
    }

    @Test
    void rawUtf8AndLoneSurrogateLikeNodeBuffer() {
        assertThat(attrValueBytes("é")).isEqualTo("fc02c3a9");
        // Node.js Buffer.from writes U+FFFD for an unpaired surrogate; so do we
        byte[] enc = BinaryEncoder.encode(Node.of("iq", Map.of("to", "\ud800")), V2);
        assertThat(Hex.of(enc)).isEqualTo("f8031e0efc03efbfbd");
    }

    @Test
    void binaryLengthForms() {
        vector(Node.withBytes("iq", Map.of(), new byte[] {1, 2, 3}), "f8 02 1e fc03 010203");
        byte[] b255 = new byte[255];
        assertThat(Hex.of(Arrays.copyOf(BinaryEncoder.encode(Node.withBytes("iq", Map.of(), b255), V2), 5)))
                .isEqualTo("f8021efcff");
        byte[] b256 = new byte[256];
        byte[] e256 = BinaryEncoder.encode(Node.withBytes("iq", Map.of(), b256), V2);
        assertThat(Hex.of(Arrays.copyOf(e256, 7))).isEqualTo("f8021efd000100");
        assertThat(BinaryDecoder.decode(e256, V2).contentBytes()).isEqualTo(b256);
        byte[] big = new byte[1 << 20];
        big[big.length - 1] = 7;
        byte[] eBig = BinaryEncoder.encode(Node.withBytes("iq", Map.of(), big), V2);
        assertThat(Hex.of(Arrays.copyOf(eBig, 8))).isEqualTo("f8021efe00100000");
        assertThat(BinaryDecoder.decode(eBig, V2).contentBytes()).isEqualTo(big);
        byte[] under = new byte[(1 << 20) - 1];
        assertThat(Hex.of(Arrays.copyOf(BinaryEncoder.encode(Node.withBytes("iq", Map.of(), under), V2), 7)))
                .isEqualTo("f8021efd0fffff");
    }

    @Test
    void stringContentSemanticsFollowBaileys() {
        // token / packed / JID content reads back as a string
        vector(Node.withString("iq", Map.of(), "123"), "f8 02 1e ff82123f");
        vector(Node.withString("iq", Map.of(), "get"), "f8 02 1e 31");
        vector(Node.withString("iq", Map.of(), "1@g.us"), "f8 02 1e fa 35 13");
        // raw string content is BINARY_8 and reads back as bytes (Baileys: a Buffer)
        byte[] enc = BinaryEncoder.encode(Node.withString("iq", Map.of(), "hello"), V2);
        assertThat(Hex.of(enc)).isEqualTo("f8021efc0568656c6c6f");
        Node back = BinaryDecoder.decode(enc, V2);
        assertThat(back.contentKind()).isEqualTo(Node.ContentKind.BYTES);
        assertThat(back.contentString()).isEqualTo("hello");
        // "" content is written raw (BINARY_8, length 0) and reads back as empty bytes, as in Baileys 7
        byte[] emptyEnc = BinaryEncoder.encode(Node.withString("iq", Map.of(), ""), V2);
        assertThat(Hex.of(emptyEnc)).isEqualTo("f8021efc00");
        Node empty = BinaryDecoder.decode(emptyEnc, V2);
        assertThat(empty.contentKind()).isEqualTo(Node.ContentKind.BYTES);
        assertThat(empty.contentBytes()).isEmpty();
        // token 0 (LIST_EMPTY) as content, which Baileys 6.17.16 wrote for "", still reads as an empty list
        assertThat(BinaryDecoder.decode(Hex.bytes("f8021e00"), V2).children()).isEmpty();
    }

    @Test
    void tagAndKeysUseTheSameStringRules() {
        // tag "123" packs; key "device" is double byte
        vector(Node.of("123", Map.of("device", "relay")), "f8 03 ff82123f ec06 ec01");
    }

    @Test
    void decodesNonCanonicalButValidForms() {
        // LIST_16 with a small size, BINARY_20 / BINARY_32 with small lengths
        assertThat(BinaryDecoder.decode(Hex.bytes("f9 0001 1e"), V2)).isEqualTo(Node.of("iq"));
        assertThat(BinaryDecoder.decode(Hex.bytes("f8 03 1e 0e fd000003 616263"), V2)
                        .attr("to"))
                .isEqualTo("abc");
        assertThat(BinaryDecoder.decode(Hex.bytes("f8 02 1e fe00000002 0102"), V2)
                        .contentBytes())
                .containsExactly(1, 2);
        // AD_JID with device 0 reads as a plain JID (Baileys jidEncode drops device 0)
        assertThat(BinaryDecoder.decode(Hex.bytes("f8 03 1e 0e f7 00 00 ff0112"), V2)
                        .attr("to"))
                .isEqualTo("12@s.whatsapp.net");
        // nibble padding may be any valid nibble (Baileys checks it, then drops it)
        assertThat(BinaryDecoder.decode(Hex.bytes("f8 03 1e 0e ff 81 1a"), V2).attr("to"))
                .isEqualTo("1");
    }
}
