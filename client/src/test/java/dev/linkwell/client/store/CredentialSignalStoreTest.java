package dev.linkwell.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.engine.Registration;
import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.DecryptedMessage;
import dev.linkwell.protocol.signal.EncryptedMessage;
import dev.linkwell.protocol.signal.GroupCipher;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.MissingPreKeyException;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.PreKeyRecord;
import dev.linkwell.protocol.signal.SenderKeyName;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import dev.linkwell.protocol.signal.SignedPreKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The device's Signal state in its credential store: a phone (an in-memory Signal party) starts a session with a
 * pre-key message and the device decrypts with a store opened afresh for each message, as after a restart; a crash
 * at any write of a commit leaves all of the commit or none of it.
 */
class CredentialSignalStoreTest {

    private static final String SESSION = "s1";
    /** The phone as the device sees it, and the device as the phone sees it. */
    private static final SignalAddress PHONE = SignalAddress.parse("5511999990000.0");

    private static final SignalAddress DEVICE = SignalAddress.parse("5511999990000.3");

    private final SecureRandom random = new SecureRandom();
    private final Credentials creds = Registration.newDevice(random);
    private final MemoryCredentialStore disk = new MemoryCredentialStore();
    private final InMemorySignalStore phoneStore = InMemorySignalStore.generate(0, random);
    private final SessionCipher phone = new SessionCipher(phoneStore);

    /** The device after a restart: all it knows comes from {@code store}. */
    private CredentialSignalStore open(CredentialStore store) {
        return CredentialSignalStore.open(store, SESSION, creds);
    }

    private DecryptedMessage decrypt(CredentialStore store, EncryptedMessage m) {
        return new SessionCipher(open(store)).decrypt(PHONE, m.type(), m.body());
    }

    private void uploadPreKeys(int... ids) {
        SignalStoreUpdate.Builder update = SignalStoreUpdate.builder();
        for (int id : ids) {
            update.putPreKey(PreKeyRecord.generate(id, random));
        }
        open(disk).commit(update.build());
    }

    /** What the server hands the phone for the device: registration, identity, signed prekey, one prekey. */
    private PreKeyBundle bundle(int preKeyId) {
        PreKeyRecord one = PreKeyRecord.parse(open(disk).preKey(preKeyId).orElseThrow());
        Credentials.SignedPreKey spk = creds.signedPreKey();
        return new PreKeyBundle(
                creds.registrationId(),
                IdentityKey.of(creds.identityKey().publicKey()),
                spk.id(),
                spk.keyPair().publicKey(),
                spk.signature(),
                OptionalInt.of(preKeyId),
                one.keyPair().publicKey());
    }

    private EncryptedMessage phoneSends(String text) {
        return phone.encrypt(DEVICE, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(DecryptedMessage d) {
        return new String(d.plaintext(), StandardCharsets.UTF_8);
    }

    @Test
    void aConversationGoesOnAcrossRestartsAndTheUsedPreKeyIsDeleted() {
        uploadPreKeys(1, 2, 3);
        phone.processPreKeyBundle(DEVICE, bundle(2));
        EncryptedMessage first = phoneSends("first");
        assertThat(first.type()).isEqualTo(CiphertextType.PKMSG);

        DecryptedMessage d = decrypt(disk, first);
        assertThat(text(d)).isEqualTo("first");
        assertThat(d.consumedPreKeyId()).hasValue(2);

        CredentialSignalStore restarted = open(disk);
        assertThat(restarted.preKey(2)).as("the used one-time prekey").isEmpty();
        assertThat(restarted.preKey(1)).isPresent();
        assertThat(restarted.preKey(3)).isPresent();
        assertThat(restarted.preKeyCount()).isEqualTo(2);
        assertThat(restarted.identity(PHONE))
                .contains(
                        IdentityKey.of(phoneStore.identityKeyPair().publicKey()).serialize());
        assertThat(restarted.session(PHONE)).isPresent();
        assertThat(disk.names(SESSION)).doesNotContain(CredentialSignalStore.JOURNAL);

        // the device answers, the phone's next messages are plain ratchet messages, all decrypt after restarts
        EncryptedMessage answer =
                new SessionCipher(restarted).encrypt(PHONE, "answer".getBytes(StandardCharsets.UTF_8));
        assertThat(text(phone.decrypt(DEVICE, answer.type(), answer.body()))).isEqualTo("answer");
        for (int i = 0; i < 5; i++) {
            EncryptedMessage m = phoneSends("m" + i);
            assertThat(m.type()).isEqualTo(CiphertextType.MSG);
            assertThat(text(decrypt(disk, m))).isEqualTo("m" + i);
        }
    }

    @Test
    void aPreKeyMessageNamingAnUsedPreKeyFromAnotherPhoneFails() {
        uploadPreKeys(1);
        PreKeyBundle handedOutTwice = bundle(1);
        phone.processPreKeyBundle(DEVICE, handedOutTwice);
        decrypt(disk, phoneSends("first"));

        SessionCipher other = new SessionCipher(InMemorySignalStore.generate(0, random));
        other.processPreKeyBundle(DEVICE, handedOutTwice);
        EncryptedMessage late = other.encrypt(DEVICE, new byte[] {1});
        assertThatThrownBy(() -> new SessionCipher(open(disk))
                        .decrypt(SignalAddress.parse("5511999990001.0"), late.type(), late.body()))
                .isInstanceOf(MissingPreKeyException.class);
    }

    @Test
    void aCrashAtAnyWriteOfACommitLeavesAllOfItOrNothing() {
        uploadPreKeys(1, 2);
        phone.processPreKeyBundle(DEVICE, bundle(1));
        EncryptedMessage first = phoneSends("first");
        EncryptedMessage second = phoneSends("second");
        List<String> before = disk.names(SESSION);

        // the pre-key message touches three blobs: journal, then session, identity, pre-keys, then the journal goes
        for (int crashAt = 0; crashAt < 5; crashAt++) {
            MemoryCredentialStore copy = disk.copy();
            CrashingStore crashing = new CrashingStore(copy, crashAt);
            assertThatThrownBy(() -> decrypt(crashing, first)).isInstanceOf(CrashingStore.Crash.class);

            CredentialSignalStore recovered = open(copy);
            if (crashAt == 0) {
                assertThat(copy.names(SESSION))
                        .as("crash before the journal: nothing happened")
                        .isEqualTo(before);
                assertThat(recovered.preKey(1)).isPresent();
                assertThat(recovered.session(PHONE)).isEmpty();
                assertThat(text(decrypt(copy, first)))
                        .as("the redelivered message decrypts")
                        .isEqualTo("first");
            } else {
                assertThat(copy.names(SESSION))
                        .as("crash after the journal: the commit is finished at open")
                        .doesNotContain(CredentialSignalStore.JOURNAL);
                assertThat(recovered.preKey(1)).isEmpty();
                assertThat(recovered.session(PHONE)).isPresent();
                assertThat(recovered.identity(PHONE)).isPresent();
            }
            assertThat(text(decrypt(copy, second)))
                    .as("crash at write " + crashAt)
                    .isEqualTo("second");
        }
    }

    @Test
    void aMessageInAnExistingSessionIsOneWriteWithoutJournal() {
        uploadPreKeys(1);
        phone.processPreKeyBundle(DEVICE, bundle(1));
        decrypt(disk, phoneSends("first"));
        CountingStore counting = new CountingStore(disk);
        decrypt(counting, phoneSends("second"));
        assertThat(counting.writes).containsExactly("session");
    }

    @Test
    void senderKeysSurviveARestart() {
        SenderKeyName phoneKey = new SenderKeyName("120363000000000001@g.us", PHONE);
        GroupCipher phoneGroups = new GroupCipher(phoneStore);
        byte[] distribution = phoneGroups.distributionMessage(phoneKey);
        new GroupCipher(open(disk)).processDistributionMessage(phoneKey, distribution);
        for (int i = 0; i < 3; i++) {
            byte[] skmsg = phoneGroups.encrypt(phoneKey, new byte[] {(byte) i});
            assertThat(new GroupCipher(open(disk)).decrypt(phoneKey, skmsg)).containsExactly(i);
        }
        assertThat(open(disk).senderKey(phoneKey)).isPresent();
    }

    @Test
    void blobNamesDoNotShowWhomTheDeviceTalksTo() {
        uploadPreKeys(1);
        phone.processPreKeyBundle(DEVICE, bundle(1));
        decrypt(disk, phoneSends("first"));
        new GroupCipher(open(disk))
                .processDistributionMessage(
                        new SenderKeyName("120363000000000001@g.us", PHONE),
                        new GroupCipher(phoneStore)
                                .distributionMessage(new SenderKeyName("120363000000000001@g.us", PHONE)));
        assertThat(disk.names(SESSION))
                .hasSize(4)
                .allSatisfy(name -> assertThat(name)
                        .doesNotContain("5511999990000")
                        .doesNotContain("120363")
                        .matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}"));
        assertThat(disk.names(SESSION))
                .contains("pre-keys")
                .anyMatch(n -> n.startsWith("signal-session-"))
                .anyMatch(n -> n.startsWith("signal-identity-"))
                .anyMatch(n -> n.startsWith("signal-sender-key-"));
    }

    @Test
    void theSignedPreKeyComesFromCredsAndIsNotReplaced() {
        CredentialSignalStore store = open(disk);
        SignedPreKeyRecord signed = SignedPreKeyRecord.parse(
                store.signedPreKey(creds.signedPreKey().id()).orElseThrow());
        assertThat(signed.keyPair()).isEqualTo(creds.signedPreKey().keyPair());
        assertThat(store.signedPreKey(creds.signedPreKey().id() + 1)).isEmpty();
        assertThat(store.identityKeyPair()).isEqualTo(creds.identityKey());
        assertThat(store.registrationId()).isEqualTo(creds.registrationId());
        SignalStoreUpdate replace = SignalStoreUpdate.builder()
                .putSignedPreKey(SignedPreKeyRecord.generate(2, creds.identityKey(), random))
                .build();
        assertThatThrownBy(() -> store.commit(replace)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedJournalStopsTheStartInsteadOfGuessing() {
        disk.write(SESSION, CredentialSignalStore.JOURNAL, new byte[] {'L', 'W', 'S', 'J', 1, 0, 0, 0, 2, 0});
        assertThatThrownBy(() -> open(disk)).isInstanceOf(CredentialsCodec.CorruptCredentialsException.class);
        assertThat(disk.read(SESSION, CredentialSignalStore.JOURNAL)).isPresent();
    }

    @Test
    void theJournalRoundTripsWritesAndDeletesInOrder() {
        java.util.Map<String, byte[]> writes = new java.util.LinkedHashMap<>();
        writes.put("b", new byte[] {1, 2});
        writes.put("a", null);
        writes.put("c", new byte[0]);
        java.util.Map<String, byte[]> back = SignalJournal.decode(SignalJournal.encode(writes));
        assertThat(back.keySet()).containsExactly("b", "a", "c");
        assertThat(back.get("b")).containsExactly(1, 2);
        assertThat(back.get("a")).isNull();
        assertThat(back.get("c")).isEmpty();
    }

    /** Writes and deletes go through until the {@code crashAt}-th (0-based), which throws before touching anything. */
    private static final class CrashingStore extends ForwardingStore {
        static final class Crash extends RuntimeException {}

        private int left;

        CrashingStore(CredentialStore delegate, int crashAt) {
            super(delegate);
            this.left = crashAt;
        }

        @Override
        void beforeChange(String name) {
            if (left-- == 0) {
                throw new Crash();
            }
        }
    }

    /** Records the kind of each blob written. */
    private static final class CountingStore extends ForwardingStore {
        final List<String> writes = new java.util.ArrayList<>();

        CountingStore(CredentialStore delegate) {
            super(delegate);
        }

        @Override
        void beforeChange(String name) {
            writes.add(name.startsWith("signal-session-") ? "session" : name);
        }
    }

    private abstract static class ForwardingStore implements CredentialStore {
        private final CredentialStore delegate;

        ForwardingStore(CredentialStore delegate) {
            this.delegate = delegate;
        }

        abstract void beforeChange(String name);

        @Override
        public Optional<byte[]> read(String sessionId, String name) {
            return delegate.read(sessionId, name);
        }

        @Override
        public void write(String sessionId, String name, byte[] data) {
            beforeChange(name);
            delegate.write(sessionId, name, data);
        }

        @Override
        public void delete(String sessionId, String name) {
            beforeChange(name);
            delegate.delete(sessionId, name);
        }

        @Override
        public List<String> names(String sessionId) {
            return delegate.names(sessionId);
        }

        @Override
        public boolean exists(String sessionId) {
            return delegate.exists(sessionId);
        }

        @Override
        public void purge(String sessionId) {
            delegate.purge(sessionId);
        }

        @Override
        public List<String> sessionIds() {
            return delegate.sessionIds();
        }
    }
}
