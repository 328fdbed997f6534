package dev.linkwell.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void clientEncoderSendsTheIntroOnceThenLengthPrefixes() {
        FrameCodec.Encoder encoder = FrameCodec.clientEncoder();
        assertThat(encoder.encode(new byte[] {1, 2})).containsExactly(0x57, 0x41, 0x06, 0x03, 0, 0, 2, 1, 2);
        assertThat(encoder.encode(new byte[] {3})).containsExactly(0, 0, 1, 3);
        assertThat(FrameCodec.serverEncoder().encode(new byte[0])).containsExactly(0, 0, 0);
    }

    @Test
    void lengthIsThreeBytesBigEndian() {
        byte[] payload = new byte[0x01_02_03];
        byte[] frame = FrameCodec.serverEncoder().encode(payload);
        assertThat(frame[0]).isEqualTo((byte) 0x01);
        assertThat(frame[1]).isEqualTo((byte) 0x02);
        assertThat(frame[2]).isEqualTo((byte) 0x03);
        assertThat(frame).hasSize(3 + payload.length);
    }

    @Test
    void serverDecoderStripsIntroAndHandlesEverySplit() {
        FrameCodec.Encoder encoder = FrameCodec.clientEncoder();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<byte[]> sent = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 30; i++) {
            byte[] payload = new byte[random.nextInt(300)];
            random.nextBytes(payload);
            sent.add(payload);
            stream.writeBytes(encoder.encode(payload));
        }
        byte[] all = stream.toByteArray();
        for (int trial = 0; trial < 50; trial++) {
            FrameCodec.Decoder decoder = FrameCodec.serverDecoder();
            List<byte[]> got = new ArrayList<>();
            int pos = 0;
            while (pos < all.length) {
                int n = Math.min(all.length - pos, trial == 0 ? 1 : 1 + random.nextInt(700));
                got.addAll(decoder.feed(java.util.Arrays.copyOfRange(all, pos, pos + n)));
                pos += n;
            }
            assertThat(got).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i)).isEqualTo(sent.get(i));
            }
            assertThat(decoder.intro()).containsExactly(0x57, 0x41, 0x06, 0x03);
            assertThat(decoder.routingInfo()).isNull();
            assertThat(decoder.buffered()).isZero();
        }
    }

    @Test
    void serverDecoderAcceptsBaileysDictionaryVersion2AndEdgeRouting() {
        FrameCodec.Decoder decoder = FrameCodec.serverDecoder();
        byte[] bytes = {'E', 'D', 0, 1, 0, 0, 2, 7, 8, 'W', 'A', 6, 2, 0, 0, 1, 42};
        List<byte[]> frames = decoder.feed(bytes);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).containsExactly(42);
        assertThat(decoder.intro()).containsExactly('W', 'A', 6, 2);
        assertThat(decoder.routingInfo()).containsExactly(7, 8);
    }

    @Test
    void badIntroIsRejectedEvenWhenPartial() {
        assertThatThrownBy(() -> FrameCodec.serverDecoder().feed(new byte[] {'G', 'E'}))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> FrameCodec.serverDecoder().feed(new byte[] {'W', 'A', 6, 9, 0, 0, 0}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("dictionary version 9");
        assertThatThrownBy(() -> FrameCodec.serverDecoder().feed(new byte[] {'E', 'D', 0, 1, (byte) 0xff, 0, 0}))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void oversizedLengthFailsBeforeThePayloadArrives() {
        FrameCodec.Decoder decoder = FrameCodec.decoder(false, 1024, Set.of(3));
        assertThatThrownBy(() -> decoder.feed(new byte[] {0, 4, 1}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds");
        // once failed, always failed
        assertThatThrownBy(() -> decoder.feed(new byte[] {0, 0, 0})).isInstanceOf(ProtocolException.class);
        // the default limit is the largest 3-byte length: a declared 16 MiB - 1 frame just waits for bytes
        FrameCodec.Decoder big = FrameCodec.clientDecoder();
        assertThat(big.feed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1}))
                .isEmpty();
        assertThat(big.buffered()).isEqualTo(4);
    }

    @Test
    void encoderRefusesPayloadsBeyondTheLengthField() {
        assertThatThrownBy(() -> FrameCodec.serverEncoder().encode(new byte[FrameCodec.MAX_FRAME_SIZE + 1]))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void clientDecoderNeedsNoIntroAndReturnsCoalescedFrames() {
        byte[] two = {0, 0, 1, 5, 0, 0, 2, 6, 7, 0, 0};
        FrameCodec.Decoder decoder = FrameCodec.clientDecoder();
        List<byte[]> frames = decoder.feed(two);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1)).containsExactly(6, 7);
        assertThat(decoder.buffered()).isEqualTo(2);
        assertThat(decoder.feed(new byte[] {0})).hasSize(1).first().isEqualTo(new byte[0]);
    }
}
