package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.KeyPair;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link SignalStore} in memory, for tests and the simulator's phones. It keeps bytes, so every read
 * parses afresh, exactly as a persistent store would: all of it as one map of named records
 * ({@code session/<address>}, {@code identity/<address>}, {@code pre-key/<id>}, {@code signed-pre-key/<id>},
 * {@code sender-key/<group::name::device>}), which {@link #records()} hands out and a constructor takes back,
 * so a holder can save it as it is. Thread-safe; a commit is atomic, and the commit hook runs after it.
 */
public final class InMemorySignalStore implements SignalStore {

    private static final String PRE_KEY = "pre-key/";

    private final KeyPair identityKeyPair;
    private final int registrationId;
    private final TreeMap<String, byte[]> records = new TreeMap<>();
    private final Runnable afterCommit;

    public InMemorySignalStore(KeyPair identityKeyPair, int registrationId) {
        this(identityKeyPair, registrationId, Map.of(), () -> {});
    }

    /**
     * A store holding {@code records} (as {@link #records()} returned them) that runs {@code afterCommit} after
     * each commit, outside its lock.
     */
    public InMemorySignalStore(
            KeyPair identityKeyPair, int registrationId, Map<String, byte[]> records, Runnable afterCommit) {
        this.identityKeyPair = Objects.requireNonNull(identityKeyPair, "identityKeyPair");
        this.registrationId = registrationId;
        records.forEach((name, data) -> this.records.put(name, data.clone()));
        this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
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
    public Optional<byte[]> session(SignalAddress address) {
        return read("session/" + address);
    }

    @Override
    public Optional<byte[]> preKey(int id) {
        return read(PRE_KEY + id);
    }

    @Override
    public Optional<byte[]> signedPreKey(int id) {
        return read("signed-pre-key/" + id);
    }

    @Override
    public Optional<byte[]> identity(SignalAddress address) {
        return read("identity/" + address);
    }

    @Override
    public Optional<byte[]> senderKey(SenderKeyName name) {
        return read("sender-key/" + name);
    }

    @Override
    public void commit(SignalStoreUpdate update) {
        synchronized (this) {
            update.sessions().forEach((k, v) -> records.put("session/" + k, v.clone()));
            update.deletedSessions().forEach(k -> records.remove("session/" + k));
            update.identities().forEach((k, v) -> records.put("identity/" + k, v.clone()));
            update.preKeys().forEach((k, v) -> records.put(PRE_KEY + k, v.clone()));
            update.deletedPreKeys().forEach(k -> records.remove(PRE_KEY + k));
            update.signedPreKeys().forEach((k, v) -> records.put("signed-pre-key/" + k, v.clone()));
            update.senderKeys().forEach((k, v) -> records.put("sender-key/" + k, v.clone()));
            update.deletedSenderKeys().forEach(k -> records.remove("sender-key/" + k));
        }
        afterCommit.run();
    }

    /** Every record by name, copied: what a holder saves and gives back to the constructor. */
    public synchronized Map<String, byte[]> records() {
        Map<String, byte[]> copy = new TreeMap<>();
        records.forEach((name, data) -> copy.put(name, data.clone()));
        return copy;
    }

    /** Ids of the one-time prekeys still held. */
    public synchronized Set<Integer> preKeyIds() {
        Set<Integer> ids = new TreeSet<>();
        records.subMap(PRE_KEY, PRE_KEY + Character.MAX_VALUE)
                .keySet()
                .forEach(name -> ids.add(Integer.parseInt(name.substring(PRE_KEY.length()))));
        return ids;
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

    private synchronized Optional<byte[]> read(String name) {
        byte[] data = records.get(name);
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }
}
