package dev.linkwell.service.storage;

import java.util.List;
import java.util.Optional;

/**
 * Where the service keeps what it knows about each session besides its credentials ({@link StoredSession}):
 * {@code session.json} files under the storage root, or rows in PostgreSQL. Session ids are validated
 * ({@code IllegalArgumentException}); a failed write is an unchecked exception and changes nothing.
 */
public interface SessionStateStore {

    /** Replaces (or creates) the session's state atomically. */
    void save(StoredSession session);

    /** The session's state, or empty when it has none (or what is stored cannot be read). */
    Optional<StoredSession> load(String sessionId);

    /** Every readable session state, sorted by session id. */
    List<StoredSession> loadAll();

    /**
     * Forgets the session: its state and everything kept beside it (its API keys, and any credentials left:
     * callers purge those first, through the engine's store, so a logout reaches the engine).
     */
    void delete(String sessionId);

    /** The backend's name, which is also the only value {@code PUT /sessions/{id}} accepts as {@code storage}. */
    String backend();
}
