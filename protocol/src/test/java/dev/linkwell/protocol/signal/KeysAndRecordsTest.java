package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import java.security.SecureRandom;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class KeysAndRecordsTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void identityKeysSerializeWithTheTypeByteAndCompareByKey() {
        KeyPair pair = KeyPair.generate(random);
        IdentityKey key = IdentityKey.of(pair.publicKey());
        assertThat(key.serialize()).hasSize(33).startsWith(5);
        assertThat(IdentityKey.of(key.serialize())).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(IdentityKey.parse(key.serialize())).isEqualTo(key);
        assertThat(key).isNotEqualTo(IdentityKey.of(KeyPair.generate(random).publicKey()));
    }

    @Test
    void malformedIdentityKeysAreTyped() {
        byte[] wrongType = new byte[33];
        wrongType[0] = 6;
        assertThatThrownBy(() -> IdentityKey.of(wrongType)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> IdentityKey.of(new byte[31])).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> IdentityKey.of(null)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> IdentityKey.parse(new byte[34])).isInstanceOf(CorruptStateException.class);
    }

    @Test
    void preKeyRecordsRoundTrip() {
        PreKeyRecord record = PreKeyRecord.generate(77, random);
        PreKeyRecord back = PreKeyRecord.parse(record.toBytes());
        assertThat(back.id()).isEqualTo(77);
        assertThat(back.keyPair()).isEqualTo(record.keyPair());
        assertThat(record.toString()).doesNotContain("KeyPair");
    }

    @Test
    void signedPreKeysAreSignedByTheIdentityOverTheTypedKey() {
        KeyPair identity = KeyPair.generate(random);
        SignedPreKeyRecord signed = SignedPreKeyRecord.generate(9, identity, random);
        assertThat(XEdDSA.verify(identity.publicKey(), signed.keyPair().signalPublicKey(), signed.signature()))
                .isTrue();
        assertThat(SignedPreKeyRecord.parse(signed.toBytes())).isEqualTo(signed);
    }

    @Test
    void storedKeysThatDoNotParseAreCorruptState() {
        byte[] good = PreKeyRecord.generate(1, random).toBytes();
        assertThatThrownBy(() -> PreKeyRecord.parse(new byte[] {(byte) 0xff}))
                .isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> PreKeyRecord.parse(new byte[0])).isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> PreKeyRecord.parse(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> SignedPreKeyRecord.parse(good)).isInstanceOf(CorruptStateException.class);
    }

    @Test
    void bundlesNeedBothHalvesOfTheOneTimePreKey() {
        KeyPair identity = KeyPair.generate(random);
        SignedPreKeyRecord signed = SignedPreKeyRecord.generate(1, identity, random);
        IdentityKey id = IdentityKey.of(identity.publicKey());
        byte[] spk = signed.keyPair().publicKey();
        assertThatThrownBy(() -> new PreKeyBundle(1, id, 1, spk, signed.signature(), OptionalInt.of(3), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PreKeyBundle(1, id, 1, spk, signed.signature(), OptionalInt.empty(), spk))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PreKeyBundle(1, id, 1, new byte[5], signed.signature(), OptionalInt.empty(), null))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> new PreKeyBundle(1, id, 1, spk, new byte[63], OptionalInt.empty(), null))
                .isInstanceOf(InvalidKeyException.class);
        PreKeyBundle bundle =
                PreKeyBundle.withoutPreKey(1, id, 1, signed.keyPair().signalPublicKey(), signed.signature());
        assertThat(bundle.signedPreKey()).isEqualTo(spk);
        assertThat(bundle.preKey()).isNull();
    }

    @Test
    void registrationIdsAreFourteenBitsAndNotZero() {
        for (int i = 0; i < 5000; i++) {
            assertThat(SignalKeys.generateRegistrationId(random)).isBetween(1, 0x3fff);
        }
    }

    @Test
    void lowOrderPeerKeysAreInvalidKeys() {
        assertThatThrownBy(() -> SignalKeys.agree(KeyPair.generate(random).privateKey(), new byte[32]))
                .isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void ciphertextTypesByWireName() {
        assertThat(CiphertextType.fromWireName("pkmsg")).isEqualTo(CiphertextType.PKMSG);
        assertThat(CiphertextType.fromWireName("msg")).isEqualTo(CiphertextType.MSG);
        assertThat(CiphertextType.fromWireName("skmsg")).isEqualTo(CiphertextType.SKMSG);
        assertThatThrownBy(() -> CiphertextType.fromWireName("frskmsg")).isInstanceOf(InvalidMessageException.class);
    }
}
