package dev.linkwell.service.events;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The in-process publisher every transport subscribes to. Subscribers see events in one order (and so in order
 * per session), and the last {@code bufferSize} events stay available for replay. Subscribers are called on the
 * delivering thread and must only enqueue.
 *
 * <p>Alone (file storage) the bus gives events their ids itself and delivers each as it is published. Shared
 * ({@link #share}, PostgreSQL) it hands each event to the {@link EventJournal}, which gives it its id in the
 * database, and delivers what the journal hands back ({@link #deliver}): every node's events, this one's
 * included, in the journal's order, so every node's streams carry the same events with the same ids.
 * {@linkplain #onPublish Publish hooks} (the webhook outbox, metrics) hear only this node's own events, as they
 * are published, whichever the mode.
 */
@Component
public class EventBus {

    private final int bufferSize;
    private final Clock clock;
    private final Deque<SessionEvent> recent = new ArrayDeque<>();
    private final List<Registration> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<SessionEvent>> hooks = new CopyOnWriteArrayList<>();
    /** Ids up to this one are from before this process: whatever they were, this bus never had them. */
    private long seed;
    // Seeded from the clock so ids keep growing across restarts and Last-Event-ID never matches stale ids.
    private long lastId;
    /** The newest event pushed out of the buffer, overall and per session (0: none yet). */
    private long lastEvicted;

    private final Map<String, Long> lastEvictedOfSession = new HashMap<>();
    private volatile EventJournal journal;

    public EventBus(EventProperties properties, Clock clock) {
        this.bufferSize = properties.bufferSize();
        this.clock = clock;
        this.seed = clock.millis() * 1000;
        this.lastId = seed;
    }

    /**
     * Publishes an event of a session this node runs.
     *
     * @throws RuntimeException when the shared journal could not keep it; it then goes nowhere
     */
    public SessionEvent publish(String sessionId, EventData data) {
        EventJournal shared = journal;
        if (shared == null) {
            synchronized (this) {
                SessionEvent event =
                        new SessionEvent(Long.toString(++lastId), data.type(), sessionId, clock.instant(), data);
                hooks.forEach(hook -> hook.accept(event));
                deliverLocked(event);
                return event;
            }
        }
        // the journal keeps microseconds: the event this node's hooks get is the one every node reads back
        SessionEvent event = shared.append(sessionId, data, clock.instant().truncatedTo(ChronoUnit.MICROS));
        hooks.forEach(hook -> hook.accept(event));
        return event;
    }

    /**
     * Makes the bus one of several sharing {@code journal}: from now on events get their ids there, and reach
     * subscribers through {@link #deliver}. {@code recent} are the journal's latest events, oldest first, which go
     * into the replay buffer; {@code olderExist} says whether the journal holds events before them.
     */
    public synchronized void share(EventJournal journal, List<SessionEvent> recent, boolean olderExist) {
        this.seed = olderExist && !recent.isEmpty() ? recent.getFirst().sequence() - 1 : 0;
        this.lastId = seed;
        this.recent.clear();
        lastEvicted = 0;
        lastEvictedOfSession.clear();
        recent.forEach(this::deliver);
        this.journal = journal;
    }

    /** An event from the shared journal, in the journal's order; one this bus had already is ignored. */
    public synchronized void deliver(SessionEvent event) {
        if (event.sequence() <= lastId) {
            return;
        }
        lastId = event.sequence();
        deliverLocked(event);
    }

    /** The id of the last event this bus had. */
    public synchronized long lastId() {
        return lastId;
    }

    private void deliverLocked(SessionEvent event) {
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
    }

    /**
     * Hears each event this node publishes, on the publishing thread, before {@link #publish} returns: what must be
     * done once per event in a cluster (a webhook delivery, a count), not once per node.
     */
    public Subscription onPublish(Consumer<SessionEvent> hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Registers a subscriber of live events. */
    public Subscription subscribe(EventFilter filter, Consumer<SessionEvent> consumer) {
        return subscribe(filter, null, consumer, gap -> {});
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
            return true; // from before this bus's memory: what came after it there is unknown
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
