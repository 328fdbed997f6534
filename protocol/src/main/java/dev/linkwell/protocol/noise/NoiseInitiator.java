package dev.linkwell.protocol.noise;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.proto.HandshakeMessage;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Client side of WhatsApp's Noise XX handshake. Transport-agnostic: it produces and consumes frame
 * payloads (the bytes inside the 3-byte length prefix), so any byte pipe can carry it.
 *
 * <pre>
 * NoiseInitiator noise = new NoiseInitiator(noiseKey, CertificateVerifier.of(TrustAnchor.WHATSAPP));
 * FrameCodec.Encoder out = FrameCodec.clientEncoder(noise.intro());
 * send(out.encode(noise.clientHello()));
 * noise.processServerHello(nextFrame());          // verifies the certificate chain
 * send(out.encode(noise.clientFinish(clientPayloadBytes)));
 * NoiseTransport transport = noise.transport();
 * </pre>
 *
 * Steps (Baileys 6.17.16 noise-handler.js + socket.js validateConnection, whatsmeow handshake.go):
 * MixHash(intro); MixHash(e.pub); send clientHello{ephemeral}. On serverHello: MixHash(re);
 * MixKey(DH(e, re)); rs = DecryptAndHash(static); MixKey(DH(e, rs)); cert = DecryptAndHash(payload),
 * verified against rs. clientFinish: static = EncryptAndHash(s.pub); MixKey(DH(s, re));
 * payload = EncryptAndHash(ClientPayload). Then Split.
 *
 * <p>Out-of-order calls are programming errors ({@link IllegalStateException}); bad server input is a
 * {@link NoiseException} or {@link CertificateException}. A rejected serverHello is processed on a copy of
 * the state and changes nothing; the caller should close the connection anyway.
 */
public final class NoiseInitiator {

    private enum Stage {
        START,
        HELLO_SENT,
        SERVER_VERIFIED,
        FINISHED
    }

    private final KeyPair staticKey;
    private final KeyPair ephemeral;
    private final CertificateVerifier verifier;
    private final byte[] intro;
    private SymmetricState state;
    private Stage stage = Stage.START;
    private byte[] serverEphemeral;
    private byte[] serverStatic;
    private NoiseTransport transport;

    /** Uses {@link FrameCodec#WA_INTRO} as the prologue. */
    public NoiseInitiator(KeyPair staticKey, CertificateVerifier verifier) {
        this(staticKey, verifier, FrameCodec.WA_INTRO, new SecureRandom());
    }

    /**
     * @param staticKey the client's long-term noise key
     * @param verifier  the certificate check (there is no way to run the handshake without one)
     * @param intro     the 4 bytes sent before the first frame; the same bytes are mixed into h
     * @param random    source for the ephemeral key
     */
    public NoiseInitiator(KeyPair staticKey, CertificateVerifier verifier, byte[] intro, SecureRandom random) {
        this.staticKey = Objects.requireNonNull(staticKey, "static key");
        this.verifier = Objects.requireNonNull(verifier, "certificate verifier");
        this.intro = Objects.requireNonNull(intro, "intro").clone();
        this.ephemeral = Curve25519.generateKeyPair(Objects.requireNonNull(random, "random"));
        this.state = new SymmetricState(this.intro);
    }

    public byte[] intro() {
        return intro.clone();
    }

    /** Message 1: {@code HandshakeMessage{clientHello{ephemeral}}}. */
    public synchronized byte[] clientHello() {
        require(Stage.START);
        state.mixHash(ephemeral.publicKey());
        stage = Stage.HELLO_SENT;
        return HandshakeMessage.newBuilder()
                .setClientHello(HandshakeMessage.ClientHello.newBuilder()
                        .setEphemeral(ByteString.copyFrom(ephemeral.publicKey())))
                .build()
                .toByteArray();
    }

    /** Message 2: decrypts the server's static key and certificate chain and verifies the chain. */
    public synchronized VerifiedChain processServerHello(byte[] message) {
        require(Stage.HELLO_SENT);
        HandshakeMessage parsed = HandshakeMessages.parse(message, "serverHello");
        if (!parsed.hasServerHello()) {
            throw new NoiseException("expected serverHello");
        }
        HandshakeMessage.ServerHello hello = parsed.getServerHello();
        byte[] re = hello.getEphemeral().toByteArray();
        if (re.length != Curve25519.KEY_SIZE || !hello.hasStatic() || !hello.hasPayload()) {
            throw new NoiseException("serverHello lacks a 32-byte ephemeral, static or payload");
        }
        SymmetricState next = state.copy();
        next.mixHash(re);
        next.mixKey(Curve25519.sharedSecret(ephemeral.privateKey(), re));
        byte[] rs = next.decryptAndHash(hello.getStatic().toByteArray(), "server static key");
        if (rs.length != Curve25519.KEY_SIZE) {
            throw new NoiseException("server static key is " + rs.length + " bytes, expected 32");
        }
        next.mixKey(Curve25519.sharedSecret(ephemeral.privateKey(), rs));
        byte[] certChain = next.decryptAndHash(hello.getPayload().toByteArray(), "certificate payload");
        VerifiedChain verified = verifier.verify(certChain, rs);
        state = next;
        serverEphemeral = re;
        serverStatic = rs;
        stage = Stage.SERVER_VERIFIED;
        return verified;
    }

    /** Message 3: {@code clientFinish{static, payload}} carrying the caller's serialized ClientPayload. */
    public synchronized byte[] clientFinish(byte[] clientPayload) {
        require(Stage.SERVER_VERIFIED);
        Objects.requireNonNull(clientPayload, "client payload");
        byte[] encryptedStatic = state.encryptAndHash(staticKey.publicKey());
        state.mixKey(Curve25519.sharedSecret(staticKey.privateKey(), serverEphemeral));
        byte[] encryptedPayload = state.encryptAndHash(clientPayload);
        transport = state.split(true);
        state = null;
        stage = Stage.FINISHED;
        return HandshakeMessage.newBuilder()
                .setClientFinish(HandshakeMessage.ClientFinish.newBuilder()
                        .setStatic(ByteString.copyFrom(encryptedStatic))
                        .setPayload(ByteString.copyFrom(encryptedPayload)))
                .build()
                .toByteArray();
    }

    /** The transport ciphers, available once {@link #clientFinish} returned. */
    public synchronized NoiseTransport transport() {
        require(Stage.FINISHED);
        return transport;
    }

    /** The server's static key, available after a verified serverHello. */
    public synchronized byte[] serverStaticKey() {
        if (serverStatic == null) {
            throw new IllegalStateException("serverHello not processed yet");
        }
        return serverStatic.clone();
    }

    private void require(Stage expected) {
        if (stage != expected) {
            throw new IllegalStateException("handshake is at " + stage + ", expected " + expected);
        }
    }
}
