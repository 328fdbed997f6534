package dev.linkwell.service.session;

import dev.linkwell.service.storage.StoredWebhook;
import java.time.Instant;
import java.util.List;

/**
 * A session as the API shows it.
 *
 * @param qr the current QR text, or {@code null}
 * @param pairingCode the current pairing code, or {@code null}
 * @param reason why the session last closed or is reconnecting, or {@code null}
 * @param webhooks the session's own webhooks, without their secrets
 */
public record SessionView(
        String sessionId,
        SessionStatus status,
        ConnectionState connection,
        String provider,
        String qr,
        String pairingCode,
        String reason,
        Instant updatedAt,
        List<Webhook> webhooks) {

    /**
     * A session webhook as the API shows it.
     *
     * @param events the event types it gets; empty means all
     * @param signed whether deliveries carry {@code X-Linkwell-Signature} (it has a secret)
     */
    public record Webhook(String url, List<String> events, boolean signed) {

        static Webhook of(StoredWebhook webhook) {
            return new Webhook(webhook.url(), webhook.events(), webhook.secret() != null);
        }
    }
}
