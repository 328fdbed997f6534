package dev.linkwell.client.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.linkwell.client.engine.Registration;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Hmac;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
import dev.linkwell.protocol.proto.ADVEncryptionType;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** A phone's side written from the protocol facts, to check the companion's checks and signature. */
class PairSuccessTest {

    private final SecureRandom random = new SecureRandom();
    private final Credentials creds = Registration.newDevice(random);
    private final KeyPair account = KeyPair.generate(random);

    private Node pairSuccess(boolean breakSignature, byte[] advSecret) {
        return pairSuccess(breakSignature, advSecret, false);
    }

    /**
     * A phone's pair-success; a hosted one marks the HMAC container and the details HOSTED and uses
     * the 06 05 prefix for both the HMAC input and the account signature (whatsmeow pair.go).
     */
    private Node pairSuccess(boolean breakSignature, byte[] advSecret, boolean hosted) {
        ADVEncryptionType type = hosted ? ADVEncryptionType.HOSTED : ADVEncryptionType.E2EE;
        byte[] details = ADVDeviceIdentity.newBuilder()
                .setRawId(42)
                .setTimestamp(1_700_000_000L)
                .setKeyIndex(3)
                .setAccountType(type)
                .setDeviceType(type)
                .build()
                .toByteArray();
        byte[] msg = PairingCode.concat(
                new byte[] {6, (byte) (hosted ? 5 : 0)},
                details,
                creds.identityKey().publicKey());
        byte[] sig = XEdDSA.sign(account.privateKey(), msg);
        if (breakSignature) {
            sig[5] ^= 1;
        }
        byte[] signed = ADVSignedDeviceIdentity.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setAccountSignatureKey(ByteString.copyFrom(account.publicKey()))
                .setAccountSignature(ByteString.copyFrom(sig))
                .build()
                .toByteArray();
        byte[] hmac = hosted ? Hmac.sha256(advSecret, new byte[] {6, 5}, signed) : Hmac.sha256(advSecret, signed);
        ADVSignedDeviceIdentityHMAC.Builder container = ADVSignedDeviceIdentityHMAC.newBuilder()
                .setDetails(ByteString.copyFrom(signed))
                .setHmac(ByteString.copyFrom(hmac));
        if (hosted) {
            container.setAccountType(ADVEncryptionType.HOSTED);
        }
        byte[] wrapped = container.build().toByteArray();
        return Node.builder("iq")
                .attr("from", "@s.whatsapp.net")
                .attr("type", "result")
                .attr("id", "p1")
                .child(Node.builder("pair-success")
                        .child(Node.builder("device-identity").bytes(wrapped).build())
                        .child(Node.builder("platform").attr("name", "android").build())
                        .child(Node.builder("device")
                                .attr("jid", "5511999990000:7@s.whatsapp.net")
                                .attr("lid", "99:7@lid")
                                .build())
                        .build())
                .build();
    }

    @Test
    void validPairSuccessIsSignedBack() {
        PairSuccess.Result r = PairSuccess.handle(pairSuccess(false, creds.advSecret()), creds);
        assertThat(r.jid()).isEqualTo("5511999990000:7@s.whatsapp.net");
        assertThat(r.credentials().paired()).isTrue();
        assertThat(r.credentials().lid()).isEqualTo("99:7@lid");
        assertThat(r.credentials().platform()).isEqualTo("android");
        Node sign = r.reply().child("pair-device-sign");
        Node identity = sign.child("device-identity");
        assertThat(r.reply().attr("id")).isEqualTo("p1");
        assertThat(identity.attr("key-index")).isEqualTo("3");
        ADVSignedDeviceIdentity back = parse(identity.contentBytes());
        assertThat(back.hasAccountSignatureKey()).isFalse();
        byte[] deviceMsg = PairingCode.concat(
                new byte[] {6, 1},
                back.getDetails().toByteArray(),
                creds.identityKey().publicKey(),
                account.publicKey());
        assertThat(XEdDSA.verify(
                        creds.identityKey().publicKey(),
                        deviceMsg,
                        back.getDeviceSignature().toByteArray()))
                .isTrue();
    }

    /** whatsmeow answers a bad signature with 401 signature-mismatch (pair.go sendPairError). */
    @Test
    void badAccountSignatureFailsPairingWithSignatureMismatch() {
        PairSuccess.PairingFailedException e = catchThrowableOfType(
                PairSuccess.PairingFailedException.class,
                () -> PairSuccess.handle(pairSuccess(true, creds.advSecret()), creds));
        assertThat(e).hasMessageContaining("account signature");
        assertThat(e.code()).isEqualTo(401);
        Node reply = e.reply("p1");
        assertThat(reply.attr("type")).isEqualTo("error");
        assertThat(reply.attr("id")).isEqualTo("p1");
        assertThat(reply.attr("to")).isEqualTo("@s.whatsapp.net");
        assertThat(reply.child("error").attr("code")).isEqualTo("401");
        assertThat(reply.child("error").attr("text")).isEqualTo("signature-mismatch");
    }

    /** whatsmeow answers a bad HMAC with 401 hmac-mismatch. */
    @Test
    void wrongAdvSecretFailsTheHmacWithHmacMismatch() {
        PairSuccess.PairingFailedException e = catchThrowableOfType(
                PairSuccess.PairingFailedException.class,
                () -> PairSuccess.handle(pairSuccess(false, new byte[32]), creds));
        assertThat(e).hasMessageContaining("HMAC");
        assertThat(e.reply("p1").child("error").attr("text")).isEqualTo("hmac-mismatch");
    }

    @Test
    void unparseableIdentityIsAnInternalError() {
        Node iq = Node.builder("iq")
                .attr("id", "p2")
                .child(Node.builder("pair-success")
                        .child(Node.builder("device-identity")
                                .bytes(new byte[] {(byte) 0xff, 0x01})
                                .build())
                        .child(Node.builder("device")
                                .attr("jid", "1:2@s.whatsapp.net")
                                .build())
                        .build())
                .build();
        PairSuccess.PairingFailedException e =
                catchThrowableOfType(PairSuccess.PairingFailedException.class, () -> PairSuccess.handle(iq, creds));
        assertThat(e.code()).isEqualTo(500);
        assertThat(e.reply("p2").child("error").attr("text")).isEqualTo("internal-error");
    }

    /** A hosted business account: HMAC and account signature over 06 05, the device signature still 06 01. */
    @Test
    void hostedAccountsUseTheHostedPrefixes() {
        PairSuccess.Result r = PairSuccess.handle(pairSuccess(false, creds.advSecret(), true), creds);
        ADVSignedDeviceIdentity back = parse(
                r.reply().child("pair-device-sign").child("device-identity").contentBytes());
        byte[] deviceMsg = PairingCode.concat(
                new byte[] {6, 1},
                back.getDetails().toByteArray(),
                creds.identityKey().publicKey(),
                account.publicKey());
        assertThat(XEdDSA.verify(
                        creds.identityKey().publicKey(),
                        deviceMsg,
                        back.getDeviceSignature().toByteArray()))
                .isTrue();
        // the plain prefixes do not verify a hosted pair-success
        assertThatThrownBy(() -> PairSuccess.handle(hostedSignedWithPlainPrefix(), creds))
                .isInstanceOf(PairSuccess.PairingFailedException.class);
    }

    private Node hostedSignedWithPlainPrefix() {
        Node hosted = pairSuccess(false, creds.advSecret(), true);
        // same stanza, but the HMAC computed without the 06 05 prefix
        ADVSignedDeviceIdentityHMAC c;
        try {
            c = ADVSignedDeviceIdentityHMAC.parseFrom(
                    hosted.child("pair-success").child("device-identity").contentBytes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        byte[] wrapped = c.toBuilder()
                .setHmac(ByteString.copyFrom(
                        Hmac.sha256(creds.advSecret(), c.getDetails().toByteArray())))
                .build()
                .toByteArray();
        return Node.builder("iq")
                .attr("id", "p3")
                .child(Node.builder("pair-success")
                        .child(Node.builder("device-identity").bytes(wrapped).build())
                        .child(Node.builder("device")
                                .attr("jid", "5511999990000:7@s.whatsapp.net")
                                .build())
                        .build())
                .build();
    }

    private static ADVSignedDeviceIdentity parse(byte[] b) {
        try {
            return ADVSignedDeviceIdentity.parseFrom(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
