package dev.linkwell.service.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
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
    /** Ids up to this one are from before this process: whatever they were, this bus never had them. */
    private final long seed;
    // Seeded from the clock so ids keep growing across restarts and Last-Event-ID never matches stale ids.
    private long lastId;
    /** The newest event pushed out of the buffer, overall and per session (0: none yet). */
    private long lastEvicted;

    private final Map<String, Long> lastEvictedOfSession = new HashMap<>();

    public EventBus(EventProperties properties, Clock clock) {
        this.bufferSize = properties.bufferSize();
        this.clock = clock;
        this.seed = clock.millis() * 1000;
        this.lastId = seed;
    }

    public synchronized SessionEvent publish(String sessionId, EventData data) {
        SessionEvent event = new SessionEvent(Long.toString(++lastId), data.type(), sessionId, clock.instant(), data);
        recent.addLast(event);
        if (recent.size() > bufferSize) {
            SessionEvent evicted = recent.removeFirst();
            lastEvicted = evicted.sequence();
            lastEvictedOfSession.put(evicted.sessionId(), lastEvicted);
        }
        for (Registration registration : subscribers) {
            if (registration.filter.matches(event)) {
                registration.consumer.accept(event);
            }
        }
        return event;
    }

    /** Registers a subscriber of live events. */
    public Subscription subscribe(EventFilter filter, Consumer<SessionEvent> consumer) {
        return subscribe(filter, null, consumer, gap -> {});
    }

    /**
     * Makes every later id larger than {@code id}: a shared event log may hold ids above this process's clock
     * seed (an earlier run with a clock ahead of this one's), and ids must never repeat.
     */
    public synchronized void continueAfter(long id) {
        lastId = Math.max(lastId, id);
    }

    /**
     * Registers a subscriber. When {@code lastEventId} is given, buffered events after it that match the filter
     * are delivered first, with no gap or duplicate before live events; and when events after it that the filter
     * may match were pushed out of the buffer (or published before this process started), {@code onGap} hears
     * of it before any of them.
     */
    public synchronized Subscription subscribe(
            EventFilter filter, Long lastEventId, Consumer<SessionEvent> consumer, Consumer<EventGap> onGap) {
        if (lastEventId != null) {
            if (lost(filter, lastEventId)) {
                SessionEvent oldest = recent.peekFirst();
                long resumeAfter = oldest == null ? lastId : oldest.sequence() - 1;
                onGap.accept(new EventGap(
                        Long.toString(resumeAfter),
                        clock.instant(),
                        new EventGap.Data(Long.toString(lastEventId), oldest == null ? null : oldest.id())));
            }
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

    /** Whether an event after {@code lastEventId} that the filter's sessions may match is gone. */
    private boolean lost(EventFilter filter, long lastEventId) {
        if (lastEventId < seed) {
            return true; // from an earlier run of the service: what came after it there is unknown
        }
        if (filter.sessionIds().isEmpty()) {
            return lastEvicted > lastEventId;
        }
        return filter.sessionIds().stream().anyMatch(id -> lastEvictedOfSession.getOrDefault(id, 0L) > lastEventId);
    }

    /** Ends a subscription; idempotent. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private record Registration(EventFilter filter, Consumer<SessionEvent> consumer) {}
}
