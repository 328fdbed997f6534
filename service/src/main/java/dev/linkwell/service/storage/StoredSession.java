package dev.linkwell.service.storage;

import java.time.Instant;
import java.util.List;

/**
 * What {@code sessions/<id>/session.json} keeps about a session besides its credentials: how it was
 * started, whether it should be running (which decides whether a reboot starts it again) and the
 * session's own webhooks.
 *
 * @param phone the phone number for pairing-code login, or {@code null} for QR login
 * @param webhooks the session's webhooks; files written before webhooks existed read as none
 */
public record StoredSession(
        String sessionId,
        String provider,
        String phone,
        String storage,
        boolean desiredRunning,
        Instant updatedAt,
        List<StoredWebhook> webhooks) {

    public StoredSession {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    public StoredSession(
            String sessionId,
            String provider,
            String phone,
            String storage,
            boolean desiredRunning,
            Instant updatedAt) {
        this(sessionId, provider, phone, storage, desiredRunning, updatedAt, List.of());
    }

    public StoredSession withDesiredRunning(boolean running, Instant now) {
        return new StoredSession(sessionId, provider, phone, storage, running, now, webhooks);
    }

    public StoredSession withWebhooks(List<StoredWebhook> replacement, Instant now) {
        return new StoredSession(sessionId, provider, phone, storage, desiredRunning, now, replacement);
    }
}
