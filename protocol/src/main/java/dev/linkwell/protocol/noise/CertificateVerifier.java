package dev.linkwell.protocol.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.proto.CertChain;
import dev.linkwell.protocol.proto.CertChain.NoiseCertificate;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The strict server certificate check, in whatsmeow's order (handshake.go verifyServerCert):
 * <ol>
 *   <li>both certificates carry details and a 64-byte signature;</li>
 *   <li>the trust anchor's root key signed the intermediate's details (XEdDSA);</li>
 *   <li>intermediate issuerSerial == 0 (the root's serial);</li>
 *   <li>the intermediate key is 32 bytes and it signed the leaf's details;</li>
 *   <li>now is within the intermediate's [notBefore, notAfter] (seconds since the epoch);</li>
 *   <li>leaf issuerSerial == intermediate serial;</li>
 *   <li>the leaf key equals the server static key decrypted from serverHello;</li>
 *   <li>now is within the leaf's [notBefore, notAfter].</li>
 * </ol>
 * There is deliberately no switch to skip any of these.
 */
public final class CertificateVerifier {

    /** WhatsApp's intermediate certificates are issued by serial 0 (whatsmeow WACertIssuerSerial). */
    public static final long ROOT_SERIAL = 0;

    private final TrustAnchor anchor;
    private final Clock clock;

    public CertificateVerifier(TrustAnchor anchor, Clock clock) {
        this.anchor = Objects.requireNonNull(anchor, "trust anchor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static CertificateVerifier of(TrustAnchor anchor) {
        return new CertificateVerifier(anchor, Clock.systemUTC());
    }

    public TrustAnchor anchor() {
        return anchor;
    }

    public VerifiedChain verify(byte[] certChainBytes, byte[] serverStaticKey) {
        CertChain chain;
        try {
            chain = CertChain.parseFrom(certChainBytes);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new CertificateException(CertificateException.Check.MALFORMED_CHAIN, "not a CertChain", e);
        }
        NoiseCertificate intermediate = chain.getIntermediate();
        NoiseCertificate leaf = chain.getLeaf();
        if (!intermediate.hasDetails() || !intermediate.hasSignature() || !leaf.hasDetails() || !leaf.hasSignature()) {
            throw new CertificateException(CertificateException.Check.MALFORMED_CHAIN, "missing parts of the chain");
        }
        requireSignatureSize(intermediate.getSignature(), "intermediate");
        requireSignatureSize(leaf.getSignature(), "leaf");

        byte[] intermediateDetailsRaw = intermediate.getDetails().toByteArray();
        if (!verifySignature(anchor.rootPublicKey(), intermediateDetailsRaw, intermediate.getSignature())) {
            throw new CertificateException(
                    CertificateException.Check.INTERMEDIATE_SIGNATURE,
                    "intermediate details are not signed by the trust anchor " + anchor.hex());
        }
        CertificateDetails intermediateDetails = parseDetails(intermediateDetailsRaw, "intermediate");
        if (intermediateDetails.issuerSerial() != ROOT_SERIAL) {
            throw new CertificateException(
                    CertificateException.Check.INTERMEDIATE_ISSUER_SERIAL,
                    "intermediate issuer serial is " + intermediateDetails.issuerSerial() + ", expected "
                            + ROOT_SERIAL);
        }
        if (intermediateDetails.key().length != 32) {
            throw new CertificateException(
                    CertificateException.Check.INTERMEDIATE_KEY,
                    "intermediate key is " + intermediateDetails.key().length + " bytes, expected 32");
        }
        byte[] leafDetailsRaw = leaf.getDetails().toByteArray();
        if (!verifySignature(intermediateDetails.key(), leafDetailsRaw, leaf.getSignature())) {
            throw new CertificateException(
                    CertificateException.Check.LEAF_SIGNATURE, "leaf details are not signed by the intermediate key");
        }
        Instant now = clock.instant();
        checkValidity(intermediateDetails, now, CertificateException.Check.INTERMEDIATE_VALIDITY, "intermediate");
        CertificateDetails leafDetails = parseDetails(leafDetailsRaw, "leaf");
        if (leafDetails.issuerSerial() != intermediateDetails.serial()) {
            throw new CertificateException(
                    CertificateException.Check.LEAF_ISSUER_SERIAL,
                    "leaf issuer serial is " + leafDetails.issuerSerial() + ", intermediate serial is "
                            + intermediateDetails.serial());
        }
        if (serverStaticKey == null || !MessageDigest.isEqual(leafDetails.key(), serverStaticKey)) {
            throw new CertificateException(
                    CertificateException.Check.LEAF_KEY_MISMATCH, "leaf key does not match the server's static key");
        }
        checkValidity(leafDetails, now, CertificateException.Check.LEAF_VALIDITY, "leaf");
        return new VerifiedChain(intermediateDetails, leafDetails);
    }

    private static void requireSignatureSize(ByteString signature, String which) {
        if (signature.size() != XEdDSA.SIGNATURE_SIZE) {
            throw new CertificateException(
                    CertificateException.Check.MALFORMED_CHAIN,
                    which + " signature is " + signature.size() + " bytes, expected 64");
        }
    }

    private static boolean verifySignature(byte[] key, byte[] message, ByteString signature) {
        try {
            return XEdDSA.verify(key, message, signature.toByteArray());
        } catch (ProtocolException e) {
            return false;
        }
    }

    private static CertificateDetails parseDetails(byte[] raw, String which) {
        NoiseCertificate.Details details;
        try {
            details = NoiseCertificate.Details.parseFrom(raw);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new CertificateException(
                    CertificateException.Check.MALFORMED_CHAIN, which + " details do not parse", e);
        }
        return new CertificateDetails(
                Integer.toUnsignedLong(details.getSerial()),
                Integer.toUnsignedLong(details.getIssuerSerial()),
                details.getKey().toByteArray(),
                epochSeconds(details.getNotBefore()),
                epochSeconds(details.getNotAfter()));
    }

    private static Instant epochSeconds(long unsignedSeconds) {
        // uint64 on the wire; clamp absurd values instead of overflowing Instant.
        if (unsignedSeconds < 0 || unsignedSeconds > Instant.MAX.getEpochSecond()) {
            return Instant.MAX;
        }
        return Instant.ofEpochSecond(unsignedSeconds);
    }

    private static void checkValidity(
            CertificateDetails details, Instant now, CertificateException.Check check, String which) {
        if (now.isBefore(details.notBefore())) {
            throw new CertificateException(
                    check, which + " certificate not valid before " + details.notBefore() + " (now " + now + ")");
        }
        if (now.isAfter(details.notAfter())) {
            throw new CertificateException(
                    check, which + " certificate expired at " + details.notAfter() + " (now " + now + ")");
        }
    }
}
