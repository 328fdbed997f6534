package dev.linkwell.service.engine;

/** One socket opened by an {@link Engine}. Both methods are idempotent and must not block for long. */
public interface EngineSession {

    /** Closes the socket and keeps the credentials. */
    void close();

    /** Tells the server this device logs out (the phone drops the linked device), then closes. */
    void logout();
}
