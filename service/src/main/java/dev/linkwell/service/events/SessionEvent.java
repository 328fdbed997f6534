package dev.linkwell.service.events;

import java.time.Instant;
import java.util.Map;

/**
 * The envelope every transport sends. {@code id} is a decimal number that only grows, within a
 * process and (being seeded from the clock) across restarts.
 */
public record SessionEvent(String id, EventType type, String sessionId, Instant timestamp, Map<String, Object> data) {

    public long sequence() {
        return Long.parseLong(id);
    }
}
