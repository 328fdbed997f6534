package dev.linkwell.protocol.noise;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.proto.CertChain;
import dev.linkwell.protocol.proto.CertChain.NoiseCertificate;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Mints root -> intermediate -> leaf {@code CertChain} bytes for a server static key, for the simulator
 * and tests. The root signs the intermediate's serialized details and the intermediate signs the
 * leaf's, exactly what {@link CertificateVerifier} checks. The intermediate key is generated once per
 * minter.
 */
public final class CertificateMinter {

    public static final long DEFAULT_INTERMEDIATE_SERIAL = 1;
    public static final long DEFAULT_LEAF_SERIAL = 2;
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);
    /** Allowance for clocks slightly behind ours. */
    public static final Duration BACKDATE = Duration.ofHours(1);

    private final KeyPair root;
    private final KeyPair intermediate;
    private final Clock clock;
    private final SecureRandom random;

    public CertificateMinter(KeyPair root) {
        this(root, Clock.systemUTC(), new SecureRandom());
    }

    public CertificateMinter(KeyPair root, Clock clock, SecureRandom random) {
        this.root = Objects.requireNonNull(root, "root key pair");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.intermediate = Curve25519.generateKeyPair(random);
    }

    /** The anchor a client must trust to accept chains from this minter. */
    public TrustAnchor trustAnchor() {
        return TrustAnchor.of(root.publicKey());
    }

    /** A chain for {@code leafPublicKey}, valid from an hour ago for {@link #DEFAULT_VALIDITY}. */
    public byte[] mint(byte[] leafPublicKey) {
        Instant now = clock.instant();
        return mint(leafPublicKey, now.minus(BACKDATE), now.plus(DEFAULT_VALIDITY));
    }

    /** A chain whose two certificates are both valid over [notBefore, notAfter]. */
    public byte[] mint(byte[] leafPublicKey, Instant notBefore, Instant notAfter) {
        byte[] leafKey = Curve25519.fromSignalPublicKey(leafPublicKey);
        NoiseCertificate.Details intermediateDetails = NoiseCertificate.Details.newBuilder()
                .setSerial((int) DEFAULT_INTERMEDIATE_SERIAL)
                .setIssuerSerial((int) CertificateVerifier.ROOT_SERIAL)
                .setKey(ByteString.copyFrom(intermediate.publicKey()))
                .setNotBefore(notBefore.getEpochSecond())
                .setNotAfter(notAfter.getEpochSecond())
                .build();
        NoiseCertificate.Details leafDetails = NoiseCertificate.Details.newBuilder()
                .setSerial((int) DEFAULT_LEAF_SERIAL)
                .setIssuerSerial((int) DEFAULT_INTERMEDIATE_SERIAL)
                .setKey(ByteString.copyFrom(leafKey))
                .setNotBefore(notBefore.getEpochSecond())
                .setNotAfter(notAfter.getEpochSecond())
                .build();
        return CertChain.newBuilder()
                .setIntermediate(sign(root, intermediateDetails.toByteArray()))
                .setLeaf(sign(intermediate, leafDetails.toByteArray()))
                .build()
                .toByteArray();
    }

    private NoiseCertificate sign(KeyPair signer, byte[] details) {
        byte[] z = new byte[XEdDSA.RANDOM_SIZE];
        random.nextBytes(z);
        return NoiseCertificate.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setSignature(ByteString.copyFrom(XEdDSA.sign(signer.privateKey(), details, z)))
                .build();
    }
}
