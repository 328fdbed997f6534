package dev.linkwell.service.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import java.util.Map;

/**
 * What an engine reports about one socket. Calls may come from any thread; the service serializes
 * them per session. After {@link #onDisconnect} the socket is dead: the service decides whether and
 * when to call {@link Engine#start} again (see {@link DisconnectReason#action()}).
 */
public interface EngineListener {

    /** A new QR code to show (the text to encode, e.g. {@code 2@...,...}). */
    void onQr(String qr);

    /** A pairing code to type on the phone, for sessions started with a phone number. */
    void onPairingCode(String code);

    /** The connection is open and logged in as {@code jid} (may be {@code null} if unknown). */
    void onOpen(String jid);

    /** The socket ended, and why (reason, the code the server sent, detail, facts such as a ban's expiry). */
    void onDisconnect(Disconnect why);

    /** An inbound message or other event worth relaying, as JSON-ready data. */
    void onMessage(Map<String, Object> payload);
}
