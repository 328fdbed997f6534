package dev.linkwell.service.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * {@code session.gap}: sent to one stream client, first, when the events after its {@code Last-Event-ID} are no
 * longer all buffered, so some it would have got are lost (the buffer is bounded, and a restart empties it).
 * Same envelope as the bus's events, with no session id; not published on the bus, never sent to webhooks.
 *
 * @param id the stream position to resume after: every event the client is sent next is newer
 * @param lastEventId what the client sent
 * @param oldestEventId the oldest event still buffered, or {@code null} when none is
 */
@JsonPropertyOrder({"id", "type", "sessionId", "timestamp", "data"})
public record EventGap(String id, Instant timestamp, Data data) implements StreamItem {

    public static final String TYPE = "session.gap";

    /** {@code {"lastEventId": ..., "oldestEventId": ...}}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Data(String lastEventId, String oldestEventId) {}

    @JsonProperty("type")
    @Override
    public String typeName() {
        return TYPE;
    }

    @JsonProperty("sessionId")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String sessionId() {
        return null;
    }
}
