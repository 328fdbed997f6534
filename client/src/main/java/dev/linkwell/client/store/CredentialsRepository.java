package dev.linkwell.client.store;

import dev.linkwell.client.CredentialStore;
import java.util.Optional;

/**
 * One session's view of the {@link CredentialStore}: the {@code creds} blob, the Signal state
 * ({@link CredentialSignalStore}: sessions, identities, sender keys, and the unused one-time prekeys in one
 * {@code pre-keys} blob, since the first upload holds 812 and one atomic write beats 812 fsyncs) and the
 * {@code lid-map}. Every change is written at once; the store makes each write atomic.
 *
 * <p>Order on prekey uploads: the new prekeys are written first, then {@code creds} with the new
 * counters, and only then are the public halves sent to the server. A crash in between leaves at worst
 * unused prekeys the server never saw, never a prekey the server has but we lack.
 */
public final class CredentialsRepository {

    static final String CREDS = "creds";

    private final CredentialStore store;
    private final String sessionId;
    private RecentSends recentSends;

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

    /**
     * The device's Signal state (sessions, identities, sender keys, one-time prekeys), for the device
     * {@code creds} describes.
     */
    public CredentialSignalStore signal(Credentials creds) {
        return CredentialSignalStore.open(store, sessionId, creds);
    }

    /** The session's LID <-> phone-number map ({@code lid-map}). */
    public LidMap loadLidMap() {
        return LidMap.load(store, sessionId);
    }

    /** The messages this device sent lately ({@code recent-sends}), read once per repository. */
    public RecentSends recentSends() {
        if (recentSends == null) {
            recentSends = RecentSends.load(store, sessionId);
        }
        return recentSends;
    }

    /** The app-state sync keys our phone shared ({@code app-state-keys}). */
    public AppStateKeys appStateKeys() {
        return new AppStateKeys(store, sessionId);
    }

    /** Removes every blob of the session (log-out). */
    public void purge() {
        store.purge(sessionId);
    }
}
