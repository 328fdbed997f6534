package dev.linkwell.service.session;

import java.time.Instant;

/**
 * A session as the API shows it.
 *
 * @param qr the current QR text, or {@code null}
 * @param pairingCode the current pairing code, or {@code null}
 * @param reason why the session last closed or is reconnecting, or {@code null}
 */
public record SessionView(
    String sessionId,
    SessionStatus status,
    ConnectionState connection,
    String provider,
    String qr,
    String pairingCode,
    String reason,
    Instant updatedAt) {
}
