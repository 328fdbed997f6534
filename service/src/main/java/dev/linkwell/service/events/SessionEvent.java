package dev.linkwell.service.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * The envelope every transport sends. {@code id} is a decimal number that only grows, within a
 * process and (being seeded from the clock) across restarts; {@code type} follows from {@code data}.
 */
public record SessionEvent(String id, EventType type, String sessionId, Instant timestamp, EventData data)
        implements StreamItem {

    public SessionEvent {
        Objects.requireNonNull(data, "data");
        if (type != data.type()) {
            throw new IllegalArgumentException(
                    data.getClass().getSimpleName() + " is not a " + type.wireName() + " event");
        }
    }

    @JsonIgnore // the envelope's "type" is the component
    @Override
    public String typeName() {
        return type.wireName();
    }

    public long sequence() {
        return Long.parseLong(id);
    }
}
