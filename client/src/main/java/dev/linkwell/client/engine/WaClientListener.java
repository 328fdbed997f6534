package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;

/**
 * What one {@link WaClient} connection reports. Calls come from engine threads, one at a time per
 * client, with the session id in the SLF4J MDC.
 */
public interface WaClientListener {

    /** A QR to show; each new ref replaces the previous one. */
    default void onQr(String qrText) {
    }

    /** The 8-character code to type on the phone. */
    default void onPairingCode(String code) {
    }

    /** Pairing finished and the credentials are stored; a 515 and a reconnect follow. */
    default void onPaired(String jid) {
    }

    /** Logged in: the connection is open. */
    default void onOpen(String jid) {
    }

    /**
     * An inbound message the engine could read, as JSON-ready data ({@code id}, {@code from},
     * {@code timestamp}, {@code text}, ...). Signal-encrypted messages are not decrypted yet.
     */
    default void onMessage(java.util.Map<String, Object> message) {
    }

    /** The connection ended; called exactly once per {@link WaClient}. */
    void onDisconnect(Disconnect why);
}
