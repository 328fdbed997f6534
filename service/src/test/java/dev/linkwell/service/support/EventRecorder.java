package dev.linkwell.service.support;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.events.SessionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records the bus's events (of one session, or all) and waits (bounded) for the ones a test expects. */
public final class EventRecorder implements AutoCloseable {

    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    private final EventBus.Subscription subscription;

    public EventRecorder(EventBus bus, String sessionId) {
        this.subscription = bus.subscribe(new EventFilter(Set.of(sessionId), Set.of()), null, events::add);
    }

    /** Every session's events. */
    public EventRecorder(EventBus bus) {
        this.subscription = bus.subscribe(new EventFilter(Set.of(), Set.of()), null, events::add);
    }

    public List<SessionEvent> all() {
        return List.copyOf(events);
    }

    public List<SessionEvent> of(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    public SessionEvent await(EventType type, Predicate<SessionEvent> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (SessionEvent event : events) {
                if (event.type() == type && matching.test(event)) {
                    return event;
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no " + type.wireName() + " event as expected within " + timeout + "; got " + events);
    }

    public SessionEvent await(EventType type, Duration timeout) {
        return await(type, e -> true, timeout);
    }

    @Override
    public void close() {
        subscription.close();
    }
}
