package dev.linkwell.protocol.signal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The changes of one Signal operation, to be applied atomically by {@link SignalStore#commit}. A key
 * never appears both as a put and as a delete. Immutable; built with {@link #builder()}.
 */
public final class SignalStoreUpdate {

    private final Map<SignalAddress, byte[]> sessions;
    private final Set<SignalAddress> deletedSessions;
    private final Map<SignalAddress, byte[]> identities;
    private final Map<Integer, byte[]> preKeys;
    private final Set<Integer> deletedPreKeys;
    private final Map<Integer, byte[]> signedPreKeys;
    private final Map<SenderKeyName, byte[]> senderKeys;
    private final Set<SenderKeyName> deletedSenderKeys;

    private SignalStoreUpdate(Builder b) {
        sessions = Collections.unmodifiableMap(new LinkedHashMap<>(b.sessions));
        deletedSessions = Collections.unmodifiableSet(new LinkedHashSet<>(b.deletedSessions));
        identities = Collections.unmodifiableMap(new LinkedHashMap<>(b.identities));
        preKeys = Collections.unmodifiableMap(new LinkedHashMap<>(b.preKeys));
        deletedPreKeys = Collections.unmodifiableSet(new LinkedHashSet<>(b.deletedPreKeys));
        signedPreKeys = Collections.unmodifiableMap(new LinkedHashMap<>(b.signedPreKeys));
        senderKeys = Collections.unmodifiableMap(new LinkedHashMap<>(b.senderKeys));
        deletedSenderKeys = Collections.unmodifiableSet(new LinkedHashSet<>(b.deletedSenderKeys));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Session records to write; the arrays are the caller's to keep. */
    public Map<SignalAddress, byte[]> sessions() {
        return sessions;
    }

    public Set<SignalAddress> deletedSessions() {
        return deletedSessions;
    }

    public Map<SignalAddress, byte[]> identities() {
        return identities;
    }

    public Map<Integer, byte[]> preKeys() {
        return preKeys;
    }

    /** One-time prekeys that were used and must go. */
    public Set<Integer> deletedPreKeys() {
        return deletedPreKeys;
    }

    public Map<Integer, byte[]> signedPreKeys() {
        return signedPreKeys;
    }

    public Map<SenderKeyName, byte[]> senderKeys() {
        return senderKeys;
    }

    public Set<SenderKeyName> deletedSenderKeys() {
        return deletedSenderKeys;
    }

    public boolean isEmpty() {
        return sessions.isEmpty()
                && deletedSessions.isEmpty()
                && identities.isEmpty()
                && preKeys.isEmpty()
                && deletedPreKeys.isEmpty()
                && signedPreKeys.isEmpty()
                && senderKeys.isEmpty()
                && deletedSenderKeys.isEmpty();
    }

    /** Never prints key material: only what is touched. */
    @Override
    public String toString() {
        return "SignalStoreUpdate[sessions=" + sessions.keySet() + ", deletedSessions=" + deletedSessions
                + ", identities=" + identities.keySet() + ", preKeys=" + preKeys.keySet() + ", deletedPreKeys="
                + deletedPreKeys + ", signedPreKeys=" + signedPreKeys.keySet() + ", senderKeys=" + senderKeys.keySet()
                + ", deletedSenderKeys=" + deletedSenderKeys + "]";
    }

    public static final class Builder {
        private final Map<SignalAddress, byte[]> sessions = new LinkedHashMap<>();
        private final Set<SignalAddress> deletedSessions = new LinkedHashSet<>();
        private final Map<SignalAddress, byte[]> identities = new LinkedHashMap<>();
        private final Map<Integer, byte[]> preKeys = new LinkedHashMap<>();
        private final Set<Integer> deletedPreKeys = new LinkedHashSet<>();
        private final Map<Integer, byte[]> signedPreKeys = new LinkedHashMap<>();
        private final Map<SenderKeyName, byte[]> senderKeys = new LinkedHashMap<>();
        private final Set<SenderKeyName> deletedSenderKeys = new LinkedHashSet<>();

        private Builder() {}

        public Builder putSession(SignalAddress address, byte[] record) {
            deletedSessions.remove(Objects.requireNonNull(address));
            sessions.put(address, record.clone());
            return this;
        }

        public Builder deleteSession(SignalAddress address) {
            sessions.remove(Objects.requireNonNull(address));
            deletedSessions.add(address);
            return this;
        }

        public Builder putIdentity(SignalAddress address, IdentityKey identity) {
            identities.put(Objects.requireNonNull(address), identity.serialize());
            return this;
        }

        public Builder putPreKey(PreKeyRecord preKey) {
            deletedPreKeys.remove(preKey.id());
            preKeys.put(preKey.id(), preKey.toBytes());
            return this;
        }

        public Builder deletePreKey(int id) {
            preKeys.remove(id);
            deletedPreKeys.add(id);
            return this;
        }

        public Builder putSignedPreKey(SignedPreKeyRecord signedPreKey) {
            signedPreKeys.put(signedPreKey.id(), signedPreKey.toBytes());
            return this;
        }

        public Builder putSenderKey(SenderKeyName name, byte[] record) {
            deletedSenderKeys.remove(Objects.requireNonNull(name));
            senderKeys.put(name, record.clone());
            return this;
        }

        public Builder deleteSenderKey(SenderKeyName name) {
            senderKeys.remove(Objects.requireNonNull(name));
            deletedSenderKeys.add(name);
            return this;
        }

        public SignalStoreUpdate build() {
            return new SignalStoreUpdate(this);
        }
    }
}
