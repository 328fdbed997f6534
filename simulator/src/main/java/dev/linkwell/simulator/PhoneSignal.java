package dev.linkwell.simulator;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.signal.GroupCipher;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.IdentityPolicy;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.PreKeyRecord;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalKeys;
import dev.linkwell.protocol.signal.SignalStore;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import dev.linkwell.protocol.signal.SignedPreKeyRecord;
import java.security.SecureRandom;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A phone's own Signal side, as the primary device (device 0) of its account: its identity key, registration id,
 * signed prekey and one-time prekeys, and its sessions and sender keys with the linked devices. Persisted in the
 * simulator state ({@link SimulatorState.PhoneSignalState}); every change schedules a state write.
 *
 * <p>The identity key is the account key: on WhatsApp the key that signs a companion's device identity
 * ({@code accountSignatureKey}) is the primary device's Signal identity key, the one the pairing-code flow sends
 * as {@code primary_identity_pub} (whatsmeow 33cfac5 pair.go handlePair, pair-code.go; Baileys 7.0.0-rc14
 * Utils/validate-connection.js configureSuccessfulPairing).
 *
 * <p>The server side of the phone's prekeys is here too: {@link #fetchBundle()} hands out each one-time prekey
 * once, as the server does, and the phone "uploads" {@link #PRE_KEY_BATCH} more when all were handed out.
 * Thread-safe: the ciphers and the store are synchronized; callers that need an order between encrypting and
 * sending keep it themselves.
 */
public final class PhoneSignal {

    /** One-time prekeys per batch (whatsmeow prekeys.go WantedPreKeyCount). */
    static final int PRE_KEY_BATCH = 50;
    /** The phone's signed prekey id. */
    static final int SIGNED_PRE_KEY_ID = 1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InMemorySignalStore store;
    private final SessionCipher sessions;
    private final GroupCipher groups;
    private final Runnable changed;
    private int nextPreKeyId;
    private int nextFetchedPreKeyId;

    private PhoneSignal(InMemorySignalStore store, int nextPreKeyId, int nextFetchedPreKeyId, Runnable changed) {
        this.store = store;
        this.sessions = new SessionCipher(store, IdentityPolicy.TRUST_ON_FIRST_USE, RANDOM);
        this.groups = new GroupCipher(store, RANDOM);
        this.changed = changed;
        this.nextPreKeyId = nextPreKeyId;
        this.nextFetchedPreKeyId = nextFetchedPreKeyId;
    }

    /** A new phone's Signal side: a registration id, signed prekey 1 and a first batch of one-time prekeys. */
    static PhoneSignal create(KeyPair identity, Runnable changed) {
        InMemorySignalStore store =
                new InMemorySignalStore(identity, SignalKeys.generateRegistrationId(RANDOM), Map.of(), changed);
        store.commit(SignalStoreUpdate.builder()
                .putSignedPreKey(SignedPreKeyRecord.generate(SIGNED_PRE_KEY_ID, identity, RANDOM))
                .build());
        PhoneSignal signal = new PhoneSignal(store, 1, 1, changed);
        signal.uploadBatch();
        return signal;
    }

    /** The Signal side as saved; a state from before phones spoke Signal gets a new one. */
    static PhoneSignal restore(KeyPair identity, SimulatorState.PhoneSignalState saved, Runnable changed) {
        if (saved == null) {
            return create(identity, changed);
        }
        InMemorySignalStore store = new InMemorySignalStore(identity, saved.registrationId(), saved.records(), changed);
        return new PhoneSignal(store, saved.nextPreKeyId(), saved.nextFetchedPreKeyId(), changed);
    }

    synchronized SimulatorState.PhoneSignalState export() {
        return new SimulatorState.PhoneSignalState(
                store.registrationId(), nextPreKeyId, nextFetchedPreKeyId, store.records());
    }

    public int registrationId() {
        return store.registrationId();
    }

    public IdentityKey identityKey() {
        return IdentityKey.of(store.identityKeyPair().publicKey());
    }

    /** The phone's store: sessions with linked devices, their identities, sender keys, its own prekeys. */
    public SignalStore store() {
        return store;
    }

    /** One-to-one sessions with linked devices ({@code pkmsg}, {@code msg}). */
    public SessionCipher sessions() {
        return sessions;
    }

    /** Sender keys, the phone's own and the linked devices' ({@code skmsg}). */
    public GroupCipher groups() {
        return groups;
    }

    /**
     * What the server answers a prekey fetch for this phone with: registration id, identity, signed prekey, and the
     * next one-time prekey nobody was handed yet.
     */
    public synchronized PreKeyBundle fetchBundle() {
        if (nextFetchedPreKeyId >= nextPreKeyId) {
            uploadBatch();
        }
        int id = nextFetchedPreKeyId++;
        changed.run();
        return store.bundle(SIGNED_PRE_KEY_ID, OptionalInt.of(id));
    }

    private synchronized void uploadBatch() {
        SignalStoreUpdate.Builder update = SignalStoreUpdate.builder();
        for (int i = 0; i < PRE_KEY_BATCH; i++) {
            update.putPreKey(PreKeyRecord.generate(nextPreKeyId++, RANDOM));
        }
        store.commit(update.build());
    }
}
