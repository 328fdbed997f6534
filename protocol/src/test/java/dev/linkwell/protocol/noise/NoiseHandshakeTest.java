package dev.linkwell.protocol.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.proto.HandshakeMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoiseHandshakeTest {

    private final TestCerts certs = new TestCerts();
    private final KeyPair clientStatic = KeyPair.generate();

    private record Pair(NoiseTransport client, NoiseTransport server, NoiseResponder.ClientFinish finish) {}

    private Pair handshakeOverFrames(byte[] payload) {
        NoiseInitiator initiator = new NoiseInitiator(clientStatic, certs.verifier);
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, certs.chain);
        FrameCodec.Encoder clientOut = FrameCodec.clientEncoder(initiator.intro());
        FrameCodec.Decoder serverIn = FrameCodec.serverDecoder();
        FrameCodec.Encoder serverOut = FrameCodec.serverEncoder();
        FrameCodec.Decoder clientIn = FrameCodec.clientDecoder();

        List<byte[]> hello = serverIn.feed(clientOut.encode(initiator.clientHello()));
        responder.processClientHello(serverIn.intro(), hello.get(0));
        List<byte[]> serverHello = clientIn.feed(serverOut.encode(responder.serverHello()));
        VerifiedChain chain = initiator.processServerHello(serverHello.get(0));
        assertThat(chain.leaf().key()).isEqualTo(certs.serverStatic.publicKey());
        assertThat(initiator.serverStaticKey()).isEqualTo(certs.serverStatic.publicKey());
        List<byte[]> finish = serverIn.feed(clientOut.encode(initiator.clientFinish(payload)));
        NoiseResponder.ClientFinish result = responder.processClientFinish(finish.get(0));
        return new Pair(initiator.transport(), responder.transport(), result);
    }

    @Test
    void initiatorAndResponderAgreeAndExchangeFramesBothWays() {
        byte[] payload = "client payload".getBytes(StandardCharsets.UTF_8);
        Pair pair = handshakeOverFrames(payload);
        assertThat(pair.finish().clientStaticKey()).isEqualTo(clientStatic.publicKey());
        assertThat(pair.finish().clientPayload()).isEqualTo(payload);
        for (int i = 0; i < 5; i++) {
            byte[] up = ("up " + i).getBytes(StandardCharsets.UTF_8);
            byte[] down = ("down " + i).getBytes(StandardCharsets.UTF_8);
            assertThat(pair.server().decrypt(pair.client().encrypt(up))).isEqualTo(up);
            assertThat(pair.client().decrypt(pair.server().encrypt(down))).isEqualTo(down);
        }
        assertThat(pair.client().writeCounter()).isEqualTo(5);
        assertThat(pair.client().readCounter()).isEqualTo(5);
        assertThat(pair.server().writeCounter()).isEqualTo(5);
    }

    @Test
    void countersAreIndependentPerDirectionAndOrderMatters() {
        Pair pair = handshakeOverFrames(new byte[0]);
        byte[] first = pair.client().encrypt(new byte[] {1});
        byte[] second = pair.client().encrypt(new byte[] {2});
        // skipping a frame (wrong counter) fails, and does not advance the read counter
        assertThatThrownBy(() -> pair.server().decrypt(second)).isInstanceOf(NoiseException.class);
        assertThat(pair.server().readCounter()).isZero();
        assertThat(pair.server().decrypt(first)).containsExactly(1);
        assertThat(pair.server().decrypt(second)).containsExactly(2);
        // a replayed frame fails
        assertThatThrownBy(() -> pair.server().decrypt(first)).isInstanceOf(NoiseException.class);
        // the same plaintext in the other direction uses a different key
        byte[] down = pair.server().encrypt(new byte[] {1});
        assertThat(down).isNotEqualTo(first);
        assertThat(pair.client().decrypt(down)).containsExactly(1);
    }

    @Test
    void tamperedTransportFramesFail() {
        Pair pair = handshakeOverFrames(new byte[0]);
        byte[] frame = pair.client().encrypt(new byte[] {1, 2, 3});
        for (int i = 0; i < frame.length; i++) {
            byte[] t = frame.clone();
            t[i] ^= 0x10;
            assertThatThrownBy(() -> pair.server().decrypt(t)).isInstanceOf(ProtocolException.class);
        }
        assertThatThrownBy(() -> pair.server().decrypt(new byte[3])).isInstanceOf(NoiseException.class);
    }

    @Test
    void tamperedServerHelloIsRejected() {
        NoiseInitiator initiator = new NoiseInitiator(clientStatic, certs.verifier);
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, certs.chain);
        responder.processClientHello(FrameCodec.WA_INTRO, initiator.clientHello());
        byte[] hello = responder.serverHello();
        HandshakeMessage parsed = parse(hello);
        byte[] payload = parsed.getServerHello().getPayload().toByteArray();
        payload[payload.length - 1] ^= 1;
        byte[] tampered = parsed.toBuilder()
                .setServerHello(parsed.getServerHello().toBuilder().setPayload(ByteString.copyFrom(payload)))
                .build()
                .toByteArray();
        assertThatThrownBy(() -> initiator.processServerHello(tampered)).isInstanceOf(NoiseException.class);
        // the rejected message changed nothing: the genuine one still works
        initiator.processServerHello(hello);
    }

    @Test
    void mismatchedIntroBreaksTheHandshake() {
        NoiseInitiator initiator = new NoiseInitiator(clientStatic, certs.verifier);
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, certs.chain);
        responder.processClientHello(FrameCodec.intro(2), initiator.clientHello());
        byte[] hello = responder.serverHello();
        assertThatThrownBy(() -> initiator.processServerHello(hello)).isInstanceOf(NoiseException.class);
    }

    @Test
    void tamperedClientFinishIsRejectedWithoutChangingState() {
        NoiseInitiator initiator = new NoiseInitiator(clientStatic, certs.verifier);
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, certs.chain);
        responder.processClientHello(FrameCodec.WA_INTRO, initiator.clientHello());
        initiator.processServerHello(responder.serverHello());
        byte[] finish = initiator.clientFinish(new byte[] {4, 5});
        HandshakeMessage parsed = parse(finish);
        byte[] stat = parsed.getClientFinish().getStatic().toByteArray();
        stat[0] ^= 1;
        byte[] tampered = parsed.toBuilder()
                .setClientFinish(parsed.getClientFinish().toBuilder().setStatic(ByteString.copyFrom(stat)))
                .build()
                .toByteArray();
        assertThatThrownBy(() -> responder.processClientFinish(tampered)).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> responder.processClientFinish(new byte[] {1, 2, 3}))
                .isInstanceOf(NoiseException.class);
        assertThat(responder.processClientFinish(finish).clientPayload()).containsExactly(4, 5);
    }

    @Test
    void wrongMessageKindsAndOrderAreRejected() {
        NoiseInitiator initiator = new NoiseInitiator(clientStatic, certs.verifier);
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, certs.chain);
        assertThatThrownBy(() -> responder.processClientHello(FrameCodec.WA_INTRO, new byte[0]))
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("clientHello");
        assertThatThrownBy(() -> responder.processClientHello(null, initiator.clientHello()))
                .isInstanceOf(NoiseException.class);
        assertThatThrownBy(responder::serverHello).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> initiator.clientFinish(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> initiator.processServerHello(new byte[] {0x12, 0}))
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("serverHello");
    }

    @Test
    void lowOrderClientEphemeralIsRejected() {
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, certs.chain);
        byte[] hello = HandshakeMessage.newBuilder()
                .setClientHello(
                        HandshakeMessage.ClientHello.newBuilder().setEphemeral(ByteString.copyFrom(new byte[32])))
                .build()
                .toByteArray();
        responder.processClientHello(FrameCodec.WA_INTRO, hello);
        assertThatThrownBy(responder::serverHello).isInstanceOf(ProtocolException.class);
    }

    @Test
    void serverWithChainForAnotherKeyIsRejected() {
        byte[] chainForOtherKey = certs.minter.mint(KeyPair.generate().publicKey());
        NoiseInitiator initiator = new NoiseInitiator(clientStatic, certs.verifier);
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, chainForOtherKey);
        responder.processClientHello(FrameCodec.WA_INTRO, initiator.clientHello());
        assertThatThrownBy(() -> initiator.processServerHello(responder.serverHello()))
                .isInstanceOfSatisfying(
                        CertificateException.class,
                        e -> assertThat(e.check()).isEqualTo(CertificateException.Check.LEAF_KEY_MISMATCH));
    }

    @Test
    void realWhatsAppAnchorRejectsASimulatorChain() {
        NoiseInitiator initiator =
                new NoiseInitiator(clientStatic, new CertificateVerifier(TrustAnchor.WHATSAPP, TestCerts.CLOCK));
        NoiseResponder responder = new NoiseResponder(certs.serverStatic, certs.chain);
        responder.processClientHello(FrameCodec.WA_INTRO, initiator.clientHello());
        assertThatThrownBy(() -> initiator.processServerHello(responder.serverHello()))
                .isInstanceOfSatisfying(
                        CertificateException.class,
                        e -> assertThat(e.check()).isEqualTo(CertificateException.Check.INTERMEDIATE_SIGNATURE));
    }

    private static HandshakeMessage parse(byte[] bytes) {
        try {
            return HandshakeMessage.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
