package dev.linkwell.service.events;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decouples one slow network client from the bus: events are queued and sent by a virtual thread.
 * A client that falls a whole queue behind is disconnected; it can come back with Last-Event-ID.
 */
public final class EventPump {

    private static final Logger log = LoggerFactory.getLogger(EventPump.class);

    /** How a transport writes to its client. Called from the pump's thread only. */
    public interface Sender {
        /** An event, or the {@link EventGap} that comes before a replay with events missing. */
        void send(StreamItem item) throws Exception;

        void heartbeat() throws Exception;

        /** Ends the client connection; called once, from any thread. */
        void close();
    }

    private final BlockingQueue<StreamItem> queue;
    private final Duration heartbeat;
    private final Sender sender;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<EventPump> onClose;
    private final String name;
    private volatile EventBus.Subscription subscription;
    private volatile Thread thread;

    private EventPump(int capacity, Duration heartbeat, String name, Sender sender, Consumer<EventPump> onClose) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.heartbeat = heartbeat;
        this.name = name;
        this.sender = sender;
        this.onClose = onClose;
    }

    /** Subscribes to the bus (replaying after {@code lastEventId}) and starts sending; see {@link EventClients}. */
    static EventPump start(
            EventBus bus,
            EventProperties properties,
            EventFilter filter,
            Long lastEventId,
            String name,
            Sender sender,
            Consumer<EventPump> onClose) {
        // Room for a full replay plus a burst of live events.
        EventPump pump = new EventPump(properties.bufferSize() + 256, properties.heartbeat(), name, sender, onClose);
        pump.subscription = bus.subscribe(filter, lastEventId, pump::offer, pump::offer);
        pump.thread = Thread.ofVirtual().name(name).start(pump::run);
        return pump;
    }

    private void offer(StreamItem item) {
        if (!queue.offer(item)) {
            log.warn("Event client {} fell {} events behind; disconnecting it", name, queue.size());
            close();
        }
    }

    private void run() {
        try {
            while (!closed.get()) {
                StreamItem item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (closed.get()) {
                    return;
                }
                if (item == null) {
                    sender.heartbeat();
                } else {
                    sender.send(item);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Event client disconnected: {}", e.toString());
        } finally {
            close();
        }
    }

    /** Unsubscribes, stops the thread and closes the client; idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (subscription != null) {
            subscription.close();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
        sender.close();
        onClose.accept(this);
    }
}
