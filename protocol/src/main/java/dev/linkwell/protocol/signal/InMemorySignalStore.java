package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.KeyPair;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link SignalStore} in memory, for tests and the simulator's phones. It keeps bytes, so every read
 * parses afresh, exactly as a persistent store would. Thread-safe; a commit is atomic.
 */
public final class InMemorySignalStore implements SignalStore {

    private final KeyPair identityKeyPair;
    private final int registrationId;
    private final Map<SignalAddress, byte[]> sessions = new HashMap<>();
    private final Map<SignalAddress, byte[]> identities = new HashMap<>();
    private final Map<Integer, byte[]> preKeys = new HashMap<>();
    private final Map<Integer, byte[]> signedPreKeys = new HashMap<>();
    private final Map<SenderKeyName, byte[]> senderKeys = new HashMap<>();

    public InMemorySignalStore(KeyPair identityKeyPair, int registrationId) {
        this.identityKeyPair = Objects.requireNonNull(identityKeyPair, "identityKeyPair");
        this.registrationId = registrationId;
    }

    /**
     * A fresh party: new identity and registration id, signed prekey {@code 1} and one-time prekeys
     * {@code 1..preKeyCount}.
     */
    public static InMemorySignalStore generate(int preKeyCount, SecureRandom random) {
        KeyPair identity = KeyPair.generate(random);
        InMemorySignalStore store = new InMemorySignalStore(identity, SignalKeys.generateRegistrationId(random));
        SignalStoreUpdate.Builder update =
                SignalStoreUpdate.builder().putSignedPreKey(SignedPreKeyRecord.generate(1, identity, random));
        for (int id = 1; id <= preKeyCount; id++) {
            update.putPreKey(PreKeyRecord.generate(id, random));
        }
        store.commit(update.build());
        return store;
    }

    @Override
    public KeyPair identityKeyPair() {
        return identityKeyPair;
    }

    @Override
    public int registrationId() {
        return registrationId;
    }

    @Override
    public synchronized Optional<byte[]> session(SignalAddress address) {
        return copy(sessions.get(address));
    }

    @Override
    public synchronized Optional<byte[]> preKey(int id) {
        return copy(preKeys.get(id));
    }

    @Override
    public synchronized Optional<byte[]> signedPreKey(int id) {
        return copy(signedPreKeys.get(id));
    }

    @Override
    public synchronized Optional<byte[]> identity(SignalAddress address) {
        return copy(identities.get(address));
    }

    @Override
    public synchronized Optional<byte[]> senderKey(SenderKeyName name) {
        return copy(senderKeys.get(name));
    }

    @Override
    public synchronized void commit(SignalStoreUpdate update) {
        update.sessions().forEach((k, v) -> sessions.put(k, v.clone()));
        update.deletedSessions().forEach(sessions::remove);
        update.identities().forEach((k, v) -> identities.put(k, v.clone()));
        update.preKeys().forEach((k, v) -> preKeys.put(k, v.clone()));
        update.deletedPreKeys().forEach(preKeys::remove);
        update.signedPreKeys().forEach((k, v) -> signedPreKeys.put(k, v.clone()));
        update.senderKeys().forEach((k, v) -> senderKeys.put(k, v.clone()));
        update.deletedSenderKeys().forEach(senderKeys::remove);
    }

    /** Ids of the one-time prekeys still held. */
    public synchronized Set<Integer> preKeyIds() {
        return new TreeSet<>(preKeys.keySet());
    }

    /** One-time prekey {@code id}; empty when it was used or never existed. */
    public synchronized Optional<PreKeyRecord> preKeyRecord(int id) {
        return preKey(id).map(PreKeyRecord::parse);
    }

    /** Signed prekey {@code id}; empty when there is none. */
    public synchronized Optional<SignedPreKeyRecord> signedPreKeyRecord(int id) {
        return signedPreKey(id).map(SignedPreKeyRecord::parse);
    }

    /**
     * A bundle as the server would hand it out for this party: signed prekey {@code signedPreKeyId} and
     * one-time prekey {@code preKeyId} (none when empty).
     */
    public PreKeyBundle bundle(int signedPreKeyId, OptionalInt preKeyId) {
        SignedPreKeyRecord signed = signedPreKeyRecord(signedPreKeyId)
                .orElseThrow(() -> new IllegalStateException("no signed prekey " + signedPreKeyId));
        IdentityKey identity = IdentityKey.of(identityKeyPair.publicKey());
        if (preKeyId.isEmpty()) {
            return PreKeyBundle.withoutPreKey(
                    registrationId, identity, signed.id(), signed.keyPair().publicKey(), signed.signature());
        }
        PreKeyRecord one = preKeyRecord(preKeyId.getAsInt())
                .orElseThrow(() -> new IllegalStateException("no prekey " + preKeyId.getAsInt()));
        return new PreKeyBundle(
                registrationId,
                identity,
                signed.id(),
                signed.keyPair().publicKey(),
                signed.signature(),
                preKeyId,
                one.keyPair().publicKey());
    }

    private static Optional<byte[]> copy(byte[] b) {
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }
}
