package dev.linkwell.protocol.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.noise.CertificateException.Check;
import dev.linkwell.protocol.proto.CertChain;
import dev.linkwell.protocol.proto.CertChain.NoiseCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CertificateVerifierTest {

    private final TestCerts certs = new TestCerts();
    private final KeyPair intermediateKey = KeyPair.generate();

    @Test
    void whatsAppAnchorIsTheKnownRootKey() {
        assertThat(TrustAnchor.WHATSAPP.hex())
                .isEqualTo("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b");
        assertThat(TrustAnchor.WHATSAPP.rootPublicKey()[0]).isEqualTo((byte) 0x14);
    }

    @Test
    void mintedChainVerifies() {
        VerifiedChain chain = certs.verifier.verify(certs.chain, certs.serverStatic.publicKey());
        assertThat(chain.intermediate().issuerSerial()).isZero();
        assertThat(chain.leaf().issuerSerial()).isEqualTo(chain.intermediate().serial());
        assertThat(chain.leaf().key()).isEqualTo(certs.serverStatic.publicKey());
    }

    @Test
    void expiryAndNotYetValidAreEnforcedWithTheInjectedClock() {
        Clock late = Clock.fixed(TestCerts.NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertCheck(
                new CertificateVerifier(certs.minter.trustAnchor(), late),
                certs.chain,
                certs.serverStatic.publicKey(),
                Check.INTERMEDIATE_VALIDITY);
        Clock early = Clock.fixed(TestCerts.NOW.minus(Duration.ofHours(2)), ZoneOffset.UTC);
        assertCheck(
                new CertificateVerifier(certs.minter.trustAnchor(), early),
                certs.chain,
                certs.serverStatic.publicKey(),
                Check.INTERMEDIATE_VALIDITY);
        // leaf window narrower than the intermediate's
        byte[] chain = build(
                d -> d,
                d -> d.toBuilder()
                        .setNotAfter(TestCerts.NOW.getEpochSecond() - 1)
                        .build());
        assertCheck(certs.verifier, chain, certs.serverStatic.publicKey(), Check.LEAF_VALIDITY);
    }

    @Test
    void everyStrictCheckHasItsOwnFailure() {
        byte[] key = certs.serverStatic.publicKey();
        assertCheck(certs.verifier, new byte[] {1, 2, 3}, key, Check.MALFORMED_CHAIN);
        assertCheck(certs.verifier, CertChain.getDefaultInstance().toByteArray(), key, Check.MALFORMED_CHAIN);
        assertCheck(certs.verifier, certs.chain, KeyPair.generate().publicKey(), Check.LEAF_KEY_MISMATCH);
        assertCheck(
                new CertificateVerifier(TrustAnchor.of(KeyPair.generate().publicKey()), TestCerts.CLOCK),
                certs.chain,
                key,
                Check.INTERMEDIATE_SIGNATURE);
        assertCheck(
                certs.verifier,
                build(d -> d.toBuilder().setIssuerSerial(7).build(), d -> d),
                key,
                Check.INTERMEDIATE_ISSUER_SERIAL);
        assertCheck(
                certs.verifier,
                build(d -> d, d -> d.toBuilder().setIssuerSerial(99).build()),
                key,
                Check.LEAF_ISSUER_SERIAL);
        assertCheck(
                certs.verifier,
                build(
                        d -> d.toBuilder()
                                .setKey(ByteString.copyFrom(new byte[31]))
                                .build(),
                        d -> d),
                key,
                Check.INTERMEDIATE_KEY);
    }

    @Test
    void signaturesMustCoverTheExactDetailsBytes() throws InvalidProtocolBufferException {
        CertChain chain = CertChain.parseFrom(certs.chain);
        // leaf signed by the root instead of the intermediate
        NoiseCertificate leaf = chain.getLeaf().toBuilder()
                .setSignature(ByteString.copyFrom(XEdDSA.sign(
                        certs.root.privateKey(), chain.getLeaf().getDetails().toByteArray())))
                .build();
        assertCheck(
                certs.verifier,
                chain.toBuilder().setLeaf(leaf).build().toByteArray(),
                certs.serverStatic.publicKey(),
                Check.LEAF_SIGNATURE);
        // re-encoding the details with an extra field invalidates the root's signature
        byte[] details = chain.getIntermediate()
                .getDetails()
                .concat(ByteString.copyFrom(new byte[] {0x30, 0x01}))
                .toByteArray();
        NoiseCertificate intermediate = chain.getIntermediate().toBuilder()
                .setDetails(ByteString.copyFrom(details))
                .build();
        assertCheck(
                certs.verifier,
                chain.toBuilder().setIntermediate(intermediate).build().toByteArray(),
                certs.serverStatic.publicKey(),
                Check.INTERMEDIATE_SIGNATURE);
        // short signature
        NoiseCertificate shortSig = chain.getIntermediate().toBuilder()
                .setSignature(ByteString.copyFrom(new byte[63]))
                .build();
        assertCheck(
                certs.verifier,
                chain.toBuilder().setIntermediate(shortSig).build().toByteArray(),
                certs.serverStatic.publicKey(),
                Check.MALFORMED_CHAIN);
    }

    @Test
    void certificateExceptionIsAProtocolException() {
        assertThat(new CertificateException(Check.LEAF_SIGNATURE, "x"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("LEAF_SIGNATURE");
        assertThat(HexFormat.of().formatHex(certs.minter.trustAnchor().rootPublicKey()))
                .isEqualTo(HexFormat.of().formatHex(certs.root.publicKey()));
    }

    /** Hand-builds a chain (own intermediate key) after letting the test edit each Details. */
    private byte[] build(
            UnaryOperator<NoiseCertificate.Details> intermediateEdit,
            UnaryOperator<NoiseCertificate.Details> leafEdit) {
        long nb = TestCerts.NOW.getEpochSecond() - 3600;
        long na = TestCerts.NOW.getEpochSecond() + 3600;
        NoiseCertificate.Details intermediate = intermediateEdit.apply(NoiseCertificate.Details.newBuilder()
                .setSerial(5)
                .setIssuerSerial(0)
                .setKey(ByteString.copyFrom(intermediateKey.publicKey()))
                .setNotBefore(nb)
                .setNotAfter(na)
                .build());
        NoiseCertificate.Details leaf = leafEdit.apply(NoiseCertificate.Details.newBuilder()
                .setSerial(6)
                .setIssuerSerial(5)
                .setKey(ByteString.copyFrom(certs.serverStatic.publicKey()))
                .setNotBefore(nb)
                .setNotAfter(na)
                .build());
        byte[] intermediateRaw = intermediate.toByteArray();
        byte[] leafRaw = leaf.toByteArray();
        return CertChain.newBuilder()
                .setIntermediate(NoiseCertificate.newBuilder()
                        .setDetails(ByteString.copyFrom(intermediateRaw))
                        .setSignature(ByteString.copyFrom(XEdDSA.sign(certs.root.privateKey(), intermediateRaw))))
                .setLeaf(NoiseCertificate.newBuilder()
                        .setDetails(ByteString.copyFrom(leafRaw))
                        .setSignature(ByteString.copyFrom(XEdDSA.sign(intermediateKey.privateKey(), leafRaw))))
                .build()
                .toByteArray();
    }

    private static void assertCheck(CertificateVerifier verifier, byte[] chain, byte[] key, Check expected) {
        assertThatThrownBy(() -> verifier.verify(chain, key))
                .isInstanceOfSatisfying(
                        CertificateException.class, e -> assertThat(e.check()).isEqualTo(expected));
    }
}
