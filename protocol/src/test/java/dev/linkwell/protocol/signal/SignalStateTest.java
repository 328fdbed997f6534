package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.proto.StoredSenderKeyRecord;
import dev.linkwell.protocol.proto.StoredSession;
import dev.linkwell.protocol.proto.StoredSessionRecord;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Stored bytes: round trips that keep working, and bytes that are not state. */
class SignalStateTest {

    private static final SignalAddress PHONE = new SignalAddress("5511999990000", 0);
    private static final SignalAddress DEVICE = new SignalAddress("5511999990000", 2);

    private final SecureRandom random = new SecureRandom();
    private final InMemorySignalStore phoneStore = InMemorySignalStore.generate(0, random);
    private final InMemorySignalStore deviceStore = InMemorySignalStore.generate(3, random);
    private final SessionCipher phone = new SessionCipher(phoneStore);
    private final SessionCipher device = new SessionCipher(deviceStore);

    @Test
    void aSessionRecordSurvivesParseAndSerializeWithEverythingInIt() {
        phone.processPreKeyBundle(DEVICE, deviceStore.bundle(1, OptionalInt.of(2)));
        EncryptedMessage pending = phone.encrypt(DEVICE, utf8("first"));
        // the initiator's record holds a pending pre-key; it serializes identically after a parse
        byte[] initiator = phoneStore.session(DEVICE).orElseThrow();
        assertThat(SessionRecord.parse(initiator).toBytes()).isEqualTo(initiator);

        device.decryptPreKeyMessage(PHONE, pending.body());
        EncryptedMessage skipped = null;
        for (int i = 0; i < 4; i++) {
            EncryptedMessage m = phone.encrypt(DEVICE, utf8("m" + i));
            if (i == 1) {
                skipped = m;
            } else {
                device.decryptPreKeyMessage(PHONE, m.body());
            }
        }
        byte[] responder = deviceStore.session(PHONE).orElseThrow();
        SessionRecord parsed = SessionRecord.parse(responder);
        assertThat(parsed.toBytes()).isEqualTo(responder);
        SessionState state = parsed.current();
        assertThat(state.remoteIdentity)
                .isEqualTo(IdentityKey.of(phoneStore.identityKeyPair().publicKey()));
        assertThat(state.remoteRegistrationId).isEqualTo(phoneStore.registrationId());
        assertThat(state.receiverChainCount()).isEqualTo(1);
        assertThat(StoredSessionRecord.newBuilder()
                        .mergeFrom(asProto(responder))
                        .getCurrent()
                        .getReceiverChains(0)
                        .getSkippedCount())
                .isEqualTo(1);
        assertThat(text(device.decryptPreKeyMessage(PHONE, skipped.body()))).isEqualTo("m1");
    }

    @Test
    void storedSessionsNeedTheirKeys() {
        phone.processPreKeyBundle(DEVICE, deviceStore.bundle(1, OptionalInt.empty()));
        StoredSessionRecord good = asProto(phoneStore.session(DEVICE).orElseThrow());
        StoredSession s = good.getCurrent();
        StoredSession[] broken = {
            s.toBuilder().clearRootKey().build(),
            s.toBuilder().setRootKey(ByteString.copyFrom(new byte[31])).build(),
            s.toBuilder().clearRemoteIdentity().build(),
            s.toBuilder().setRemoteIdentity(ByteString.copyFrom(new byte[12])).build(),
            s.toBuilder()
                    .setLastRemoteRatchetKey(ByteString.copyFrom(new byte[33]))
                    .build(),
            s.toBuilder().clearSenderChainIndex().build(),
            s.toBuilder().setSenderRatchetPrivate(ByteString.EMPTY).build(),
            s.toBuilder()
                    .setPendingPreKey(s.getPendingPreKey().toBuilder().setBaseKey(ByteString.EMPTY))
                    .build(),
        };
        for (StoredSession b : broken) {
            byte[] bytes = good.toBuilder().setCurrent(b).build().toByteArray();
            assertThatThrownBy(() -> SessionRecord.parse(bytes)).isInstanceOf(CorruptStateException.class);
        }
        assertThatThrownBy(() -> SessionRecord.parse(
                        good.toBuilder().setFormatVersion(2).build().toByteArray()))
                .isInstanceOf(CorruptStateException.class);
        StoredSessionRecord.Builder tooMany = good.toBuilder();
        for (int i = 0; i < SessionRecord.MAX_SESSIONS; i++) {
            tooMany.addPrevious(s);
        }
        assertThatThrownBy(() -> SessionRecord.parse(tooMany.build().toByteArray()))
                .isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> SessionRecord.parse(new byte[] {(byte) 0x80}))
                .isInstanceOf(CorruptStateException.class);
    }

    @Test
    void aSenderKeyRecordSurvivesParseAndSerialize() {
        SenderKeyName name = new SenderKeyName("1@g.us", PHONE);
        GroupCipher ours = new GroupCipher(phoneStore, random);
        GroupCipher theirs = new GroupCipher(deviceStore, random);
        theirs.processDistributionMessage(name, ours.distributionMessage(name));
        byte[] m0 = ours.encrypt(name, utf8("zero"));
        theirs.decrypt(name, ours.encrypt(name, utf8("one")));
        for (InMemorySignalStore store : new InMemorySignalStore[] {phoneStore, deviceStore}) {
            byte[] stored = store.senderKey(name).orElseThrow();
            assertThat(SenderKeyRecord.parse(stored).toBytes()).isEqualTo(stored);
        }
        assertThat(StoredSenderKeyRecord.newBuilder()
                        .mergeFrom(senderProto(phoneStore.senderKey(name).orElseThrow()))
                        .getStates(0)
                        .hasSigningPrivate())
                .isTrue();
        assertThat(StoredSenderKeyRecord.newBuilder()
                        .mergeFrom(senderProto(deviceStore.senderKey(name).orElseThrow()))
                        .getStates(0)
                        .hasSigningPrivate())
                .isFalse();
        assertThat(text(theirs.decrypt(name, m0))).isEqualTo("zero");

        StoredSenderKeyRecord good = senderProto(deviceStore.senderKey(name).orElseThrow());
        byte[] noChain = good.toBuilder()
                .setStates(0, good.getStates(0).toBuilder().clearChainKey())
                .build()
                .toByteArray();
        assertThatThrownBy(() -> SenderKeyRecord.parse(noChain)).isInstanceOf(CorruptStateException.class);
        byte[] shortSigning = good.toBuilder()
                .setStates(0, good.getStates(0).toBuilder().setSigningPublic(ByteString.copyFrom(new byte[3])))
                .build()
                .toByteArray();
        assertThatThrownBy(() -> SenderKeyRecord.parse(shortSigning)).isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> SenderKeyRecord.parse(
                        good.toBuilder().setFormatVersion(0).build().toByteArray()))
                .isInstanceOf(CorruptStateException.class);
    }

    @Test
    void storeUpdatesApplyPutsAndDeletesTogether() {
        SenderKeyName name = new SenderKeyName("2@g.us", PHONE);
        PreKeyRecord extra = PreKeyRecord.generate(50, random);
        deviceStore.commit(SignalStoreUpdate.builder()
                .putPreKey(extra)
                .deletePreKey(1)
                .deletePreKey(2)
                .putSenderKey(name, new byte[] {1})
                .putSession(PHONE, new byte[] {2})
                .build());
        assertThat(deviceStore.preKeyIds()).containsExactly(3, 50);
        assertThat(deviceStore.senderKey(name))
                .hasValueSatisfying(b -> assertThat(b).containsExactly(1));
        SignalStoreUpdate update = SignalStoreUpdate.builder()
                .putSession(PHONE, new byte[] {3})
                .deleteSession(PHONE)
                .putSenderKey(name, new byte[] {4})
                .deleteSenderKey(name)
                .build();
        assertThat(update.sessions()).isEmpty();
        assertThat(update.deletedSessions()).containsExactly(PHONE);
        assertThat(update.toString()).contains(PHONE.toString()).doesNotContain("[B@");
        deviceStore.commit(update);
        assertThat(deviceStore.session(PHONE)).isEmpty();
        assertThat(deviceStore.senderKey(name)).isEmpty();
        assertThat(SignalStoreUpdate.builder().build().isEmpty()).isTrue();
        // what the store hands out is a copy
        deviceStore.commit(
                SignalStoreUpdate.builder().putSession(PHONE, new byte[] {5}).build());
        deviceStore.session(PHONE).orElseThrow()[0] = 9;
        assertThat(deviceStore.session(PHONE).orElseThrow()).containsExactly(5);
    }

    private static StoredSessionRecord asProto(byte[] b) {
        try {
            return StoredSessionRecord.parseFrom(b);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static StoredSenderKeyRecord senderProto(byte[] b) {
        try {
            return StoredSenderKeyRecord.parseFrom(b);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(DecryptedMessage m) {
        return new String(m.plaintext(), StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
