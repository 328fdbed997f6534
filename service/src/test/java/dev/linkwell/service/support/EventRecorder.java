package dev.linkwell.service.support;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.events.SessionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records the bus's events (of one session, or all), each with its {@code data} as the JSON clients get, and
 * waits (bounded) for the ones a test expects.
 */
public final class EventRecorder implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One event as a client sees it: {@code data} is the JSON object that goes on the wire. */
    public record Event(String id, EventType type, String sessionId, Map<String, Object> data) {

        static Event of(SessionEvent event) {
            return new Event(
                    event.id(),
                    event.type(),
                    event.sessionId(),
                    Api.JSON_READER.apply(JSON.writeValueAsString(event.data())));
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final EventBus.Subscription subscription;

    public EventRecorder(EventBus bus, String sessionId) {
        this.subscription = bus.subscribe(new EventFilter(Set.of(sessionId), Set.of()), e -> events.add(Event.of(e)));
    }

    /** Every session's events. */
    public EventRecorder(EventBus bus) {
        this.subscription = bus.subscribe(EventFilter.ALL, e -> events.add(Event.of(e)));
    }

    public List<Event> all() {
        return List.copyOf(events);
    }

    public List<Event> of(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    public Event await(EventType type, Predicate<Event> matching, Duration timeout) {
        try {
            return Awaitility.await()
                    .atMost(timeout)
                    .until(() -> find(type, matching), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no " + type.wireName() + " event as expected within " + timeout + "; got " + events);
        }
    }

    public Event await(EventType type, Duration timeout) {
        return await(type, e -> true, timeout);
    }

    private Optional<Event> find(EventType type, Predicate<Event> matching) {
        return events.stream().filter(e -> e.type() == type && matching.test(e)).findFirst();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
