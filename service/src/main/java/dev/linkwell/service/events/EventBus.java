package dev.linkwell.service.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The in-process publisher every transport subscribes to. Publishing is serialized, so all
 * subscribers see events in one order (and so in order per session), and the last
 * {@code bufferSize} events stay available for replay. Subscribers are called on the publisher's
 * thread and must only enqueue.
 */
@Component
public class EventBus {

    private final int bufferSize;
    private final Clock clock;
    private final Deque<SessionEvent> recent = new ArrayDeque<>();
    private final List<Registration> subscribers = new CopyOnWriteArrayList<>();
    // Seeded from the clock so ids keep growing across restarts and Last-Event-ID never matches stale ids.
    private long lastId;

    public EventBus(EventProperties properties, Clock clock) {
        this.bufferSize = properties.bufferSize();
        this.clock = clock;
        this.lastId = clock.millis() * 1000;
    }

    public synchronized SessionEvent publish(String sessionId, EventType type, Map<String, Object> data) {
        SessionEvent event = new SessionEvent(Long.toString(++lastId), type, sessionId, clock.instant(), Map.copyOf(data));
        recent.addLast(event);
        if (recent.size() > bufferSize) {
            recent.removeFirst();
        }
        for (Registration registration : subscribers) {
            if (registration.filter.matches(event)) {
                registration.consumer.accept(event);
            }
        }
        return event;
    }

    /**
     * Makes every later id larger than {@code id}: a shared event log may hold ids above this process's clock
     * seed (an earlier run with a clock ahead of this one's), and ids must never repeat.
     */
    public synchronized void continueAfter(long id) {
        lastId = Math.max(lastId, id);
    }

    /**
     * Registers a subscriber. When {@code lastEventId} is given, buffered events after it that match
     * the filter are delivered first, with no gap or duplicate before live events.
     */
    public synchronized Subscription subscribe(EventFilter filter, Long lastEventId, Consumer<SessionEvent> consumer) {
        if (lastEventId != null) {
            for (SessionEvent event : recent) {
                if (event.sequence() > lastEventId && filter.matches(event)) {
                    consumer.accept(event);
                }
            }
        }
        Registration registration = new Registration(filter, consumer);
        subscribers.add(registration);
        return () -> subscribers.remove(registration);
    }

    /** Ends a subscription; idempotent. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private record Registration(EventFilter filter, Consumer<SessionEvent> consumer) {
    }
}
