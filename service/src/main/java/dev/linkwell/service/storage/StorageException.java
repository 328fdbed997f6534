package dev.linkwell.service.storage;

/** A storage backend failed (the database refused or could not be reached); nothing was changed. */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
