package dev.linkwell.protocol.noise;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.proto.HandshakeMessage;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Server side of WhatsApp's Noise XX handshake (the mirror of {@link NoiseInitiator}), for the
 * simulator. Transport-agnostic like the initiator:
 *
 * <pre>
 * NoiseResponder noise = new NoiseResponder(serverStatic, minter.mint(serverStatic.publicKey()));
 * FrameCodec.Decoder in = FrameCodec.serverDecoder();
 * List&lt;byte[]&gt; frames = in.feed(bytes);          // strips the intro
 * noise.processClientHello(in.intro(), frames.get(0));
 * send(FrameCodec.serverEncoder().encode(noise.serverHello()));
 * NoiseResponder.ClientFinish finish = noise.processClientFinish(nextFrame());
 * NoiseTransport transport = noise.transport();
 * </pre>
 *
 * Steps: MixHash(intro); MixHash(re). serverHello: MixHash(e.pub); MixKey(DH(e, re));
 * static = EncryptAndHash(s.pub); MixKey(DH(s, re)); payload = EncryptAndHash(certChain).
 * clientFinish: rs = DecryptAndHash(static); MixKey(DH(e, rs)); payload = DecryptAndHash(payload).
 *
 * <p>Inbound messages are processed on a copy of the state: a rejected message changes nothing (the
 * caller should still close the connection).
 */
public final class NoiseResponder {

    /** The client's long-term noise public key and its decrypted ClientPayload bytes. */
    public record ClientFinish(byte[] clientStaticKey, byte[] clientPayload) {
        public ClientFinish {
            clientStaticKey = clientStaticKey.clone();
            clientPayload = clientPayload.clone();
        }

        @Override
        public byte[] clientStaticKey() {
            return clientStaticKey.clone();
        }

        @Override
        public byte[] clientPayload() {
            return clientPayload.clone();
        }
    }

    private enum Stage {
        START,
        HELLO_RECEIVED,
        HELLO_SENT,
        FINISHED
    }

    private final KeyPair staticKey;
    private final SecureRandom random;
    private final byte[] certChain;
    private KeyPair ephemeral;
    private SymmetricState state;
    private Stage stage = Stage.START;
    private byte[] clientEphemeral;
    private NoiseTransport transport;

    public NoiseResponder(KeyPair staticKey, byte[] certChain) {
        this(staticKey, certChain, new SecureRandom());
    }

    /**
     * @param staticKey the server's static key; the leaf certificate must carry its public half
     * @param certChain serialized {@code CertChain} sent encrypted in serverHello
     * @param random    source for the ephemeral key
     */
    public NoiseResponder(KeyPair staticKey, byte[] certChain, SecureRandom random) {
        this.staticKey = Objects.requireNonNull(staticKey, "static key");
        this.certChain = Objects.requireNonNull(certChain, "certificate chain").clone();
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Message 1. {@code intro} is the 4-byte intro the frame decoder stripped (it is the prologue);
     * {@code message} the first frame's payload.
     */
    public synchronized void processClientHello(byte[] intro, byte[] message) {
        require(Stage.START);
        if (intro == null || intro.length != FrameCodec.INTRO_SIZE || intro[0] != 'W' || intro[1] != 'A') {
            throw new NoiseException("missing or malformed intro");
        }
        HandshakeMessage parsed = HandshakeMessages.parse(message, "clientHello");
        if (!parsed.hasClientHello()) {
            throw new NoiseException("expected clientHello");
        }
        byte[] re = parsed.getClientHello().getEphemeral().toByteArray();
        if (re.length != Curve25519.KEY_SIZE) {
            throw new NoiseException("clientHello ephemeral is " + re.length + " bytes, expected 32");
        }
        SymmetricState next = new SymmetricState(intro);
        next.mixHash(re);
        state = next;
        clientEphemeral = re;
        stage = Stage.HELLO_RECEIVED;
    }

    /** Message 2: {@code serverHello{ephemeral, static, payload}}. */
    public synchronized byte[] serverHello() {
        require(Stage.HELLO_RECEIVED);
        // generated here, not in the constructor, so rejecting a garbage clientHello costs no key generation
        ephemeral = Curve25519.generateKeyPair(random);
        state.mixHash(ephemeral.publicKey());
        state.mixKey(Curve25519.sharedSecret(ephemeral.privateKey(), clientEphemeral));
        byte[] encryptedStatic = state.encryptAndHash(staticKey.publicKey());
        state.mixKey(Curve25519.sharedSecret(staticKey.privateKey(), clientEphemeral));
        byte[] encryptedPayload = state.encryptAndHash(certChain);
        stage = Stage.HELLO_SENT;
        return HandshakeMessage.newBuilder()
                .setServerHello(HandshakeMessage.ServerHello.newBuilder()
                        .setEphemeral(ByteString.copyFrom(ephemeral.publicKey()))
                        .setStatic(ByteString.copyFrom(encryptedStatic))
                        .setPayload(ByteString.copyFrom(encryptedPayload)))
                .build()
                .toByteArray();
    }

    /** Message 3: returns the client's static key and the decrypted ClientPayload bytes. */
    public synchronized ClientFinish processClientFinish(byte[] message) {
        require(Stage.HELLO_SENT);
        HandshakeMessage parsed = HandshakeMessages.parse(message, "clientFinish");
        if (!parsed.hasClientFinish()) {
            throw new NoiseException("expected clientFinish");
        }
        HandshakeMessage.ClientFinish finish = parsed.getClientFinish();
        if (!finish.hasStatic() || !finish.hasPayload()) {
            throw new NoiseException("clientFinish lacks static or payload");
        }
        SymmetricState next = state.copy();
        byte[] rs = next.decryptAndHash(finish.getStatic().toByteArray(), "client static key");
        if (rs.length != Curve25519.KEY_SIZE) {
            throw new NoiseException("client static key is " + rs.length + " bytes, expected 32");
        }
        next.mixKey(Curve25519.sharedSecret(ephemeral.privateKey(), rs));
        byte[] payload = next.decryptAndHash(finish.getPayload().toByteArray(), "client payload");
        transport = next.split(false);
        state = null;
        stage = Stage.FINISHED;
        return new ClientFinish(rs, payload);
    }

    public synchronized NoiseTransport transport() {
        require(Stage.FINISHED);
        return transport;
    }

    private void require(Stage expected) {
        if (stage != expected) {
            throw new IllegalStateException("handshake is at " + stage + ", expected " + expected);
        }
    }
}
