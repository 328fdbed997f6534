package dev.linkwell.service.engine;

import java.util.concurrent.CompletableFuture;

/** One socket opened by an {@link Engine}. Its methods are idempotent and must not block for long. */
public interface EngineSession {

    /** Closes the socket and keeps the credentials. */
    void close();

    /** Tells the server this device logs out (the phone drops the linked device), then closes. */
    void logout();

    /**
     * Sends a text message on this socket, which the service only calls while the session is {@code ready}.
     *
     * @param to   the recipient's JID, without device: {@code <number>@s.whatsapp.net}, {@code <lid>@lid} or a
     *             group's {@code <id>@g.us}
     * @param text the text, non-empty
     * @return completes with the id of the sent message once the server took it, or fails with a
     *         {@link SendException} that says why
     */
    default CompletableFuture<String> sendText(String to, String text) {
        return CompletableFuture.failedFuture(
                new SendException(SendException.Kind.NOT_IMPLEMENTED, "this engine cannot send messages"));
    }
}
