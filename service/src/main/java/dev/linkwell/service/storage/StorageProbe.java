package dev.linkwell.service.storage;

/** What the readiness check asks of the storage backend: can it take a write right now? */
@FunctionalInterface
public interface StorageProbe {

    /** Returns when the backend takes writes; throws (with a message fit for a log, no secrets) when not. */
    void check() throws Exception;
}
