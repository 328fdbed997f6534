package dev.linkwell.simulator;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.signal.SenderKeyName;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalStore;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A phone's Signal state as one map of named byte records ({@code session/<address>}, {@code identity/<address>},
 * {@code pre-key/<id>}, {@code signed-pre-key/<id>}, {@code sender-key/<group::name::device>}), so the simulator
 * state can save it as it is. Every commit is applied under this object's monitor, then {@code changed} runs
 * (the simulator schedules a state write). Thread-safe.
 */
final class PhoneSignalStore implements SignalStore {

    private final KeyPair identityKeyPair;
    private final int registrationId;
    private final TreeMap<String, byte[]> records = new TreeMap<>();
    private final Runnable changed;

    PhoneSignalStore(KeyPair identityKeyPair, int registrationId, Map<String, byte[]> records, Runnable changed) {
        this.identityKeyPair = identityKeyPair;
        this.registrationId = registrationId;
        records.forEach((name, data) -> this.records.put(name, data.clone()));
        this.changed = changed;
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
        return read("pre-key/" + id);
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
            update.preKeys().forEach((k, v) -> records.put("pre-key/" + k, v.clone()));
            update.deletedPreKeys().forEach(k -> records.remove("pre-key/" + k));
            update.signedPreKeys().forEach((k, v) -> records.put("signed-pre-key/" + k, v.clone()));
            update.senderKeys().forEach((k, v) -> records.put("sender-key/" + k, v.clone()));
            update.deletedSenderKeys().forEach(k -> records.remove("sender-key/" + k));
        }
        changed.run();
    }

    /** Every record, for the simulator state. */
    synchronized Map<String, byte[]> records() {
        Map<String, byte[]> copy = new TreeMap<>();
        records.forEach((name, data) -> copy.put(name, data.clone()));
        return copy;
    }

    private synchronized Optional<byte[]> read(String name) {
        byte[] data = records.get(name);
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }
}
