package dev.linkwell.client.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Hmac;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
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
        byte[] details = ADVDeviceIdentity.newBuilder().setRawId(42).setTimestamp(1_700_000_000L).setKeyIndex(3)
                .build().toByteArray();
        byte[] msg = PairingCode.concat(new byte[] {6, 0}, details, creds.identityKey().publicKey());
        byte[] sig = XEdDSA.sign(account.privateKey(), msg);
        if (breakSignature) {
            sig[5] ^= 1;
        }
        byte[] signed = ADVSignedDeviceIdentity.newBuilder().setDetails(ByteString.copyFrom(details))
                .setAccountSignatureKey(ByteString.copyFrom(account.publicKey()))
                .setAccountSignature(ByteString.copyFrom(sig)).build().toByteArray();
        byte[] hmac = Hmac.sha256(advSecret, signed);
        byte[] wrapped = ADVSignedDeviceIdentityHMAC.newBuilder().setDetails(ByteString.copyFrom(signed))
                .setHmac(ByteString.copyFrom(hmac)).build().toByteArray();
        return Node.builder("iq").attr("from", "s.whatsapp.net").attr("type", "result").attr("id", "p1")
                .child(Node.builder("pair-success")
                        .child(Node.builder("device-identity").bytes(wrapped).build())
                        .child(Node.builder("platform").attr("name", "android").build())
                        .child(Node.builder("device").attr("jid", "5511999990000:7@s.whatsapp.net").attr("lid", "99:7@lid").build())
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
        byte[] deviceMsg = PairingCode.concat(new byte[] {6, 1}, back.getDetails().toByteArray(),
                creds.identityKey().publicKey(), account.publicKey());
        assertThat(XEdDSA.verify(creds.identityKey().publicKey(), deviceMsg, back.getDeviceSignature().toByteArray())).isTrue();
    }

    @Test
    void badAccountSignatureFailsPairing() {
        assertThatThrownBy(() -> PairSuccess.handle(pairSuccess(true, creds.advSecret()), creds))
                .isInstanceOf(PairSuccess.PairingFailedException.class)
                .hasMessageContaining("account signature");
    }

    @Test
    void wrongAdvSecretFailsTheHmac() {
        assertThatThrownBy(() -> PairSuccess.handle(pairSuccess(false, new byte[32]), creds))
                .isInstanceOf(PairSuccess.PairingFailedException.class)
                .hasMessageContaining("HMAC");
    }

    private static ADVSignedDeviceIdentity parse(byte[] b) {
        try {
            return ADVSignedDeviceIdentity.parseFrom(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
