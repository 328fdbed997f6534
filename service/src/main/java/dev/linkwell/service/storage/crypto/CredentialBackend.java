package dev.linkwell.service.storage.crypto;

import dev.linkwell.client.CredentialStore;

/**
 * A credential store as the encryption layer sees it: it keeps records (sealed {@link Envelope}s or, for
 * stores written without a key, plain blobs) and can say which keys its records were sealed with, so a
 * store whose key is missing or wrong is refused before anything is read or written.
 */
public interface CredentialBackend extends CredentialStore {

    /** How many records are plain and how many were sealed with each key id. */
    KeyUsage keyUsage();

    /**
     * Replaces a record only while it still holds {@code expected}, for key rotation.
     *
     * @return false when the record changed or went away meanwhile (it is left as it is)
     */
    boolean replace(String sessionId, String name, byte[] expected, byte[] replacement);

    /** Where the records are, for messages: a folder, or a database URL without credentials. */
    String describe();
}
