package dev.linkwell.service.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.events.*}.
 *
 * @param bufferSize how many recent events are kept for {@code Last-Event-ID} replay
 * @param heartbeat how often an idle SSE or WebSocket stream gets a keep-alive
 */
@ConfigurationProperties("linkwell.events")
public record EventProperties(
        @DefaultValue("1000") int bufferSize,
        @DefaultValue("15s") Duration heartbeat) {

    public EventProperties {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("linkwell.events.buffer-size must be at least 1");
        }
    }
}
