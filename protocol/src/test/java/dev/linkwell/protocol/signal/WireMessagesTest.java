package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WireMessagesTest {

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();
    private final IdentityKey alice = IdentityKey.of(KeyPair.generate(random).publicKey());
    private final IdentityKey bob = IdentityKey.of(KeyPair.generate(random).publicKey());
    private final byte[] macKey = bytes(32);
    private final byte[] ratchet = KeyPair.generate(random).publicKey();

    @Test
    void signalMessageLayoutIsVersionProtobufAndEightByteMac() {
        SignalMessage m = SignalMessage.create(ratchet, 7, 3, bytes(32), macKey, alice, bob);
        byte[] wire = m.serialize();
        assertThat(wire[0]).isEqualTo((byte) 0x33);
        // protobuf: field 1 (ratchet key, 33 bytes with 0x05) first
        assertThat(HEX.formatHex(wire, 1, 4)).isEqualTo("0a2105");
        SignalMessage back = SignalMessage.parse(wire);
        assertThat(back.ratchetKey()).isEqualTo(ratchet);
        assertThat(back.counter()).isEqualTo(7);
        assertThat(back.previousCounter()).isEqualTo(3);
        back.verifyMac(macKey, alice, bob);
        // the MAC binds sender and receiver identity in this order, and the key
        assertThatThrownBy(() -> back.verifyMac(macKey, bob, alice)).isInstanceOf(BadMacException.class);
        assertThatThrownBy(() -> back.verifyMac(bytes(32), alice, bob)).isInstanceOf(BadMacException.class);
        byte[] flipped = wire.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThatThrownBy(() -> SignalMessage.parse(flipped).verifyMac(macKey, alice, bob))
                .isInstanceOf(BadMacException.class);
    }

    @Test
    void signalMessagesWithOtherVersionsOrMissingFieldsAreInvalid() {
        byte[] wire = SignalMessage.create(ratchet, 0, 0, bytes(16), macKey, alice, bob)
                .serialize();
        byte[] v2 = wire.clone();
        v2[0] = 0x22;
        assertThatThrownBy(() -> SignalMessage.parse(v2))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> SignalMessage.parse(new byte[0])).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> SignalMessage.parse(new byte[] {0x33, 1, 2}))
                .isInstanceOf(InvalidMessageException.class);
        byte[] noCounter = withBody(dev.linkwell.protocol.proto.SignalMessage.newBuilder()
                .setRatchetKey(ByteString.copyFrom(new byte[33]))
                .setCiphertext(ByteString.EMPTY)
                .build()
                .toByteArray());
        assertThatThrownBy(() -> SignalMessage.parse(noCounter)).isInstanceOf(InvalidMessageException.class);
        byte[] shortKey = withBody(dev.linkwell.protocol.proto.SignalMessage.newBuilder()
                .setRatchetKey(ByteString.copyFrom(new byte[20]))
                .setCounter(1)
                .setCiphertext(ByteString.EMPTY)
                .build()
                .toByteArray());
        assertThatThrownBy(() -> SignalMessage.parse(shortKey)).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void aPreviousCounterOfTwoToTheThirtyTwoMinusOneParsesAsUnknown() {
        byte[] wire = withBody(dev.linkwell.protocol.proto.SignalMessage.newBuilder()
                .setRatchetKey(ByteString.copyFrom(IdentityKey.of(ratchet).serialize()))
                .setCounter(0)
                .setPreviousCounter(-1)
                .setCiphertext(ByteString.copyFrom(bytes(16)))
                .build()
                .toByteArray());
        assertThat(SignalMessage.parse(wire).previousCounter()).isNegative();
    }

    @Test
    void preKeyMessagesCarryTheSessionSetup() {
        SignalMessage inner = SignalMessage.create(ratchet, 0, 0, bytes(16), macKey, alice, bob);
        byte[] base = KeyPair.generate(random).publicKey();
        PreKeySignalMessage m = PreKeySignalMessage.create(1234, OptionalInt.of(56), 7, base, alice, inner);
        byte[] wire = m.serialize();
        assertThat(wire[0]).isEqualTo((byte) 0x33);
        PreKeySignalMessage back = PreKeySignalMessage.parse(wire);
        assertThat(back.registrationId()).isEqualTo(1234);
        assertThat(back.preKeyId()).hasValue(56);
        assertThat(back.signedPreKeyId()).isEqualTo(7);
        assertThat(back.baseKey()).isEqualTo(base);
        assertThat(back.identityKey()).isEqualTo(alice);
        assertThat(back.message().serialize()).isEqualTo(inner.serialize());
        assertThat(PreKeySignalMessage.parse(PreKeySignalMessage.create(1, OptionalInt.empty(), 7, base, alice, inner)
                                .serialize())
                        .preKeyId())
                .isEmpty();
    }

    @Test
    void preKeyMessagesWithoutTheirKeysAreInvalid() {
        byte[] noBase = withVersion(dev.linkwell.protocol.proto.PreKeySignalMessage.newBuilder()
                .setSignedPreKeyId(1)
                .setIdentityKey(ByteString.copyFrom(alice.serialize()))
                .setMessage(ByteString.copyFrom(new byte[] {0x33}))
                .build()
                .toByteArray());
        assertThatThrownBy(() -> PreKeySignalMessage.parse(noBase)).isInstanceOf(InvalidMessageException.class);
        byte[] badIdentity = withVersion(dev.linkwell.protocol.proto.PreKeySignalMessage.newBuilder()
                .setSignedPreKeyId(1)
                .setBaseKey(ByteString.copyFrom(alice.serialize()))
                .setIdentityKey(ByteString.copyFrom(new byte[3]))
                .setMessage(ByteString.copyFrom(new byte[] {0x33}))
                .build()
                .toByteArray());
        assertThatThrownBy(() -> PreKeySignalMessage.parse(badIdentity)).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void senderKeyMessagesAreSignedOverVersionAndProtobuf() {
        KeyPair signing = KeyPair.generate(random);
        SenderKeyMessage m = SenderKeyMessage.create(42, 9, bytes(32), signing.privateKey(), bytes(64));
        byte[] wire = m.serialize();
        assertThat(wire[0]).isEqualTo((byte) 0x33);
        SenderKeyMessage back = SenderKeyMessage.parse(wire);
        assertThat(back.keyId()).isEqualTo(42);
        assertThat(back.iteration()).isEqualTo(9);
        back.verifySignature(signing.publicKey());
        back.verifySignature(signing.signalPublicKey());
        assertThatThrownBy(() -> back.verifySignature(KeyPair.generate(random).publicKey()))
                .isInstanceOf(BadMacException.class);
        byte[] tampered = wire.clone();
        tampered[wire.length - 64 - 3] ^= 1; // a ciphertext byte: still parses, no longer verifies
        assertThatThrownBy(() -> SenderKeyMessage.parse(tampered).verifySignature(signing.publicKey()))
                .isInstanceOf(BadMacException.class);
        assertThatThrownBy(() -> SenderKeyMessage.parse(Arrays.copyOf(wire, 40)))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> back.verifySignature(new byte[7])).isInstanceOf(BadMacException.class);
    }

    @Test
    void distributionMessagesCarryTheTypedSigningKey() {
        KeyPair signing = KeyPair.generate(random);
        byte[] chain = bytes(32);
        byte[] wire = SenderKeyDistributionMessage.create(5, 3, chain, signing.publicKey())
                .serialize();
        assertThat(wire[0]).isEqualTo((byte) 0x33);
        SenderKeyDistributionMessage back = SenderKeyDistributionMessage.parse(wire);
        assertThat(back.keyId()).isEqualTo(5);
        assertThat(back.iteration()).isEqualTo(3);
        assertThat(back.chainKey()).isEqualTo(chain);
        assertThat(back.signingKey()).isEqualTo(signing.publicKey());
        assertThat(dev.linkwell.protocol.proto.SenderKeyDistributionMessage.newBuilder()
                        .setId(5)
                        .setIteration(3)
                        .setChainKey(ByteString.copyFrom(chain))
                        .setSigningKey(ByteString.copyFrom(signing.signalPublicKey()))
                        .build()
                        .toByteArray())
                .isEqualTo(Arrays.copyOfRange(wire, 1, wire.length));
        byte[] shortChain = withVersion(dev.linkwell.protocol.proto.SenderKeyDistributionMessage.newBuilder()
                .setId(5)
                .setIteration(3)
                .setChainKey(ByteString.copyFrom(new byte[31]))
                .setSigningKey(ByteString.copyFrom(signing.signalPublicKey()))
                .build()
                .toByteArray());
        assertThatThrownBy(() -> SenderKeyDistributionMessage.parse(shortChain))
                .isInstanceOf(InvalidMessageException.class);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] withVersion(byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = 0x33;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static byte[] withBody(byte[] body) {
        return Arrays.copyOf(withVersion(body), body.length + 1 + SignalMessage.MAC_SIZE);
    }
}
