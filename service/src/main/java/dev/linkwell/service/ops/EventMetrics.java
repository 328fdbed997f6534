package dev.linkwell.service.ops;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code linkwell_events_published_total{type}}: every event this node published, counted by a publish hook (so with
 * several nodes each event counts once, on the node that published it).
 */
@Component
class EventMetrics implements AutoCloseable {

    private final EventBus.Subscription subscription;

    EventMetrics(EventBus bus, MeterRegistry registry) {
        Map<EventType, Counter> counters = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            counters.put(
                    type,
                    Counter.builder("linkwell.events.published")
                            .description("Events the bus accepted, by type")
                            .tag("type", type.wireName())
                            .register(registry));
        }
        this.subscription = bus.onPublish(event -> counters.get(event.type()).increment());
    }

    @Override
    public void close() {
        subscription.close();
    }
}
