package dev.linkwell.service.storage.crypto;

/**
 * A storage key that is missing, malformed or wrong, or a record it cannot open. The message says which
 * setting or record and what to do; it never holds key material.
 */
public class StorageKeyException extends IllegalStateException {

    public StorageKeyException(String message) {
        super(message);
    }

    public StorageKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
