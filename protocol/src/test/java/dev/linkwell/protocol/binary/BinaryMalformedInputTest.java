package dev.linkwell.protocol.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every malformed input ends in a ProtocolException whose message says what was wrong. */
class BinaryMalformedInputTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty input                         | ''                       | unexpected end",
                "truncated list size                 | f8                       | unexpected end",
                "truncated tag                       | f8 01                    | unexpected end",
                "node starts with LIST_EMPTY         | 00                       | empty list",
                "LIST_8 of size 0                    | f8 00                    | empty list",
                "node starts with a token            | 1e                       | list tag",
                "empty tag                           | f8 01 00                 | empty tag",
                "unknown tag 240                     | f8 01 f0                 | unexpected tag 240",
                "unknown tag 244                     | f8 01 f4                 | unexpected tag 244",
                "FB_JID truncated                    | f8 01 f6 fc03616263 00   | unexpected end",
                "FB_JID not on msgr                  | f8 01 f6 fc03616263 0001 03 | expected \"msgr\"",
                "FB_JID with a JID as user           | f8 01 f6 fa 03 03 0001 cc | nested",
                "INTEROP_JID truncated               | f8 01 f5 fc03616263 0001 00 | unexpected end",
                "INTEROP_JID not on interop          | f8 01 f5 fc03616263 0001 0002 03 | expected \"interop\"",
                "list tag where a string is expected | f8 01 f8                 | unexpected tag 248",
                "trailing byte                       | f8 01 1e 00              | trailing",
                "attributes cannot fit               | f8 ff 1e                 | attributes cannot fit",
                "attribute truncated                 | f8 03 1e 08 fc           | unexpected end",
                "children cannot fit                 | f8 02 1e f9 ffff         | cannot fit",
                "fewer children than announced       | f8 02 1e f8 02 f8011e    | cannot fit",
                "children truncated                  | f8 02 1e f8 01 f8 02 1e  | unexpected end",
                "BINARY_8 beyond input               | f8 02 1e fc 05 6162      | exceeds",
                "BINARY_20 high bits                 | f8 02 1e fd f00000       | high bits",
                "BINARY_20 beyond input              | f8 02 1e fd 0fffff       | exceeds",
                "BINARY_32 absurd length             | f8 02 1e fe ffffffff     | exceeds",
                "BINARY_32 truncated length          | f8 02 1e fe ff           | unexpected end",
                "raw string beyond input             | f8 01 fc 09 61           | exceeds",
                "packed odd flag and no bytes        | f8 01 ff 80              | odd flag",
                "packed beyond input                 | f8 01 ff 7f 12           | exceeds",
                "nibble 12                           | f8 01 ff 01 c1           | bad nibble 12",
                "nibble 14                           | f8 01 ff 01 1e           | bad nibble 14",
                "nibble 15 before the end            | f8 01 ff 01 f1           | bad nibble 15",
                "nibble 15 in even string            | f8 01 ff 01 1f           | bad nibble 15",
                "bad padding nibble 13               | f8 01 ff 81 1d           | padding",
                "double-byte index missing           | f8 01 ec                 | unexpected end",
                "JID pair without server             | f8 01 fa 03 00           | without server",
                "JID nested in JID server            | f8 01 fa 03 fa 03 03     | nested",
                "JID nested in JID user              | f8 01 fa f7 00 01 03 03  | nested",
                "AD_JID nested in AD_JID             | f8 01 f7 00 01 f7 00 01 03 | nested",
                "AD_JID unknown domain               | f8 01 f7 02 01 03        | domain type 2",
                "AD_JID truncated                    | f8 01 f7 00              | unexpected end",
                "duplicate attribute                 | f8 05 1e 08 31 08 3e     | duplicate",
                "content tag truncated               | f8 02 1e                 | unexpected end",
                "content is an unknown tag           | f8 02 1e f1              | unexpected tag 241",
            })
    void rejected(String why, String hex, String messagePart) {
        byte[] input = Hex.bytes(hex);
        assertThatThrownBy(() -> BinaryDecoder.decode(input))
                .as(why)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(messagePart);
        byte[] frame = new byte[input.length + 1];
        System.arraycopy(input, 0, frame, 1, input.length);
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(frame)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void nestingDeeperThan64IsRejected() {
        assertThat(BinaryDecoder.decode(nested(64), TokenDictionary.V2).tag()).isEqualTo("iq");
        assertThatThrownBy(() -> BinaryDecoder.decode(nested(65)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("deeper than 64");
        // a very deep input must not overflow the stack either
        assertThatThrownBy(() -> BinaryDecoder.decode(nested(100_000))).isInstanceOf(ProtocolException.class);
    }

    /** depth nodes, each the only child of the one above. */
    private static byte[] nested(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i < depth; i++) {
            out.writeBytes(Hex.bytes("f8021ef801"));
        }
        out.writeBytes(Hex.bytes("f8011e"));
        return out.toByteArray();
    }

    @Test
    void encoderRefusesTooDeepTrees() {
        Node n = Node.of("iq");
        for (int i = 0; i < 64; i++) {
            n = Node.builder("iq").child(n).build();
        }
        Node tooDeep = n;
        assertThatThrownBy(() -> BinaryEncoder.encode(tooDeep)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void encoderRefusesListsThatDoNotFitSixteenBits() {
        java.util.Map<String, String> attrs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 32767; i++) {
            attrs.put("k" + i, "v");
        }
        assertThat(BinaryDecoder.decode(BinaryEncoder.encode(Node.of("iq", attrs)))
                        .attrs())
                .hasSize(32767);
        assertThatThrownBy(() -> BinaryEncoder.encode(Node.withString("iq", attrs, "x")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("too many attributes");
        java.util.List<Node> kids = java.util.Collections.nCopies(65536, Node.of("ping"));
        assertThatThrownBy(() -> BinaryEncoder.encode(Node.withChildren("iq", java.util.Map.of(), kids)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("too many children");
    }

    @Test
    void emptyFrame() {
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(new byte[0]))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void compressedFrameRoundTrip() {
        Node n = Node.builder("iq").attr("id", "abc").bytes(new byte[5000]).build();
        byte[] frame = BinaryFrames.encodeFrameCompressed(n);
        assertThat(frame[0]).isEqualTo((byte) 2);
        assertThat(frame.length).isLessThan(200);
        assertThat(BinaryFrames.decodeFrame(frame)).isEqualTo(n);
        assertThat(BinaryFrames.unwrap(frame)).isEqualTo(BinaryEncoder.encode(n));
    }

    @Test
    void badZlib() {
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(Hex.bytes("02 0102030405")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("zlib");
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(Hex.bytes("02")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedZlib() {
        byte[] frame = BinaryFrames.encodeFrameCompressed(
                Node.builder("iq").bytes(new byte[5000]).build());
        byte[] cut = Arrays.copyOf(frame, frame.length - 3);
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(cut))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void bytesAfterTheZlibStream() {
        byte[] frame = BinaryFrames.encodeFrameCompressed(Node.of("iq"));
        byte[] longer = Arrays.copyOf(frame, frame.length + 2);
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(longer))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("after the zlib stream");
    }

    @Test
    void inflateBombIsCapped() {
        // 17 MiB of zeros deflate to ~17 KB; the cap is 16 MiB
        byte[] bomb = deflate(new byte[17 * 1024 * 1024]);
        byte[] frame = new byte[bomb.length + 1];
        frame[0] = 2;
        System.arraycopy(bomb, 0, frame, 1, bomb.length);
        assertThat(frame.length).isLessThan(100_000);
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("more than 16777216");
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(frame, TokenDictionary.CURRENT, 1000))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("more than 1000");
    }

    @Test
    void inflatedGarbageIsAProtocolException() {
        byte[] z = deflate(Hex.bytes("f8 02 1e fe ffffffff"));
        byte[] frame = new byte[z.length + 1];
        frame[0] = 2;
        System.arraycopy(z, 0, frame, 1, z.length);
        assertThatThrownBy(() -> BinaryFrames.decodeFrame(frame)).isInstanceOf(ProtocolException.class);
    }

    static byte[] deflate(byte[] plain) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(plain);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        while (!d.finished()) {
            out.write(chunk, 0, d.deflate(chunk));
        }
        d.end();
        return out.toByteArray();
    }
}
