package dev.linkwell.service.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * What an engine needs to open a session's socket.
 *
 * @param phone digits only, present when the client asked for a pairing code instead of a QR
 */
public record SessionStart(String sessionId, Optional<String> phone) {

    public SessionStart {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(phone, "phone");
    }
}
