package dev.linkwell.client.store;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.protocol.crypto.KeyPair;
import java.util.Map;
import java.util.Optional;

/**
 * One session's view of the {@link CredentialStore}: the {@code creds} blob and the one-time prekeys
 * ({@code pre-key-<id>}). Every change is written at once; the store makes each write atomic.
 *
 * <p>Order on prekey uploads: the new prekey blobs are written first, then {@code creds} with the new
 * counters, and only then are the public halves sent to the server. A crash in between leaves at worst
 * unused prekey blobs that the next batch overwrites, never a prekey the server has but we lack.
 */
public final class CredentialsRepository {

    static final String CREDS = "creds";
    private static final String PRE_KEY_PREFIX = "pre-key-";

    private final CredentialStore store;
    private final String sessionId;

    public CredentialsRepository(CredentialStore store, String sessionId) {
        this.store = store;
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The stored credentials; empty for a session that never paired. */
    public Optional<Credentials> load() {
        return store.read(sessionId, CREDS).map(CredentialsCodec::decode);
    }

    public void save(Credentials credentials) {
        store.write(sessionId, CREDS, CredentialsCodec.encode(credentials));
    }

    public void savePreKeys(Map<Integer, KeyPair> preKeys) {
        preKeys.forEach((id, kp) -> store.write(sessionId, PRE_KEY_PREFIX + id, CredentialsCodec.encodeKeyPair(kp)));
    }

    public Optional<KeyPair> loadPreKey(int id) {
        return store.read(sessionId, PRE_KEY_PREFIX + id).map(CredentialsCodec::decodeKeyPair);
    }

    /** Removes every blob of the session (log-out). */
    public void purge() {
        store.purge(sessionId);
    }
}
