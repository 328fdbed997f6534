package dev.linkwell.client;

import java.util.List;
import java.util.Optional;

/**
 * Where an engine keeps the credentials of its sessions: per session, a set of named blobs
 * (for example {@code creds}, {@code pre-key-17}). The engine owns the blob format; the store only
 * keeps bytes.
 *
 * <p><b>Atomicity.</b> {@link #write} replaces one blob atomically: a reader, including a reader in
 * a new process after a crash or power loss at any instant, sees either the complete previous
 * content or the complete new content of that blob, never a mix or a truncated file. Nothing is
 * promised across several blobs: an engine that needs two blobs to agree must write them in an
 * order it can recover from. When {@code write} returns, the new content is durable.
 *
 * <p>Session ids match {@code ^[A-Za-z0-9_-]{1,64}$}; blob names match
 * {@code ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$}. Anything else is an {@link IllegalArgumentException}.
 * Implementations are safe for concurrent use; writes to the same blob are applied in some order.
 */
public interface CredentialStore {

    /** The blob's content, or empty when the session has no blob of that name. */
    Optional<byte[]> read(String sessionId, String name);

    /** Replaces (or creates) one blob atomically and durably. */
    void write(String sessionId, String name, byte[] data);

    /** Removes one blob; no-op when it does not exist. */
    void delete(String sessionId, String name);

    /** Names of the session's blobs, sorted; empty when it has none. */
    List<String> names(String sessionId);

    /** Whether the session has credentials, that is at least one blob. */
    boolean exists(String sessionId);

    /** Removes every blob of the session; no-op when it has none. */
    void purge(String sessionId);

    /** Ids of the sessions that have credentials, sorted. */
    List<String> sessionIds();
}
