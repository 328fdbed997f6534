package dev.linkwell.service.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps the API keys of each session as SHA-256 digests, beside the session, so that deleting the
 * session ({@link SessionStateStore#delete}) revokes them with it. The keys themselves are never stored.
 */
public interface SessionKeyStore {

    /**
     * One key of a session.
     *
     * @param id a short public name for the key, to list and revoke it
     * @param sha256 lowercase hex SHA-256 of the key
     */
    record StoredKey(String id, String sha256, Instant createdAt) {}

    /** The session's keys in the order they were made; empty when it has none. */
    List<StoredKey> load(String sessionId);

    /** Replaces the session's keys atomically; an empty list removes them. */
    void save(String sessionId, List<StoredKey> keys);

    /** The keys of every session that has some, by session id, sorted by session id. */
    Map<String, List<StoredKey>> loadAll();
}
