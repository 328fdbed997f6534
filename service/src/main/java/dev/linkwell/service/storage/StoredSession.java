package dev.linkwell.service.storage;

import java.time.Instant;

/**
 * What {@code sessions/<id>/session.json} keeps about a session besides its credentials: how it was
 * started and whether it should be running, which decides whether a reboot starts it again.
 *
 * @param phone the phone number for pairing-code login, or {@code null} for QR login
 */
public record StoredSession(
    String sessionId, String provider, String phone, String storage, boolean desiredRunning, Instant updatedAt) {

    public StoredSession withDesiredRunning(boolean running, Instant now) {
        return new StoredSession(sessionId, provider, phone, storage, running, now);
    }
}
