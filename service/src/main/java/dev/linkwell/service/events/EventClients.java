package dev.linkwell.service.events;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts an {@link EventPump} per connected SSE or WebSocket client and ends them all first on
 * shutdown, so open streams do not hold up the web server's graceful shutdown.
 */
@Component
public class EventClients implements SmartLifecycle {

    private final EventBus bus;
    private final EventProperties properties;
    private final Set<EventPump> pumps = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public EventClients(EventBus bus, EventProperties properties) {
        this.bus = bus;
        this.properties = properties;
    }

    /** Subscribes a client (replaying after {@code lastEventId} when given) and starts sending to it. */
    public EventPump connect(EventFilter filter, Long lastEventId, String name, EventPump.Sender sender) {
        EventPump pump = EventPump.start(bus, properties, filter, lastEventId, name, sender, pumps::remove);
        pumps.add(pump);
        return pump;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        pumps.forEach(EventPump::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop before the web server starts its graceful shutdown. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
