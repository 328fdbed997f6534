package dev.linkwell.service.webhook;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.SessionEvent;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bus's publish hook that makes webhooks durable: for every event this node publishes, one outbox row per
 * endpoint that wants it, committed to disk before {@link EventBus#publish} returns (with several nodes, only the
 * publishing node writes them, so each event is delivered once). That is what "accepted by the
 * bus" means for webhooks: once publish returned, the event is delivered at least once, even if the
 * process is killed the next instant. The subscriber only writes locally and wakes the dispatcher;
 * no receiver is ever contacted on the publishing thread.
 */
final class WebhookOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);

    private final OutboxStore store;
    private final WebhookTargets targets;
    private final WebhookDispatcher dispatcher;
    private final WebhookMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final EventBus.Subscription subscription;
    private volatile String lastFailure;

    WebhookOutbox(
            EventBus bus,
            OutboxStore store,
            WebhookTargets targets,
            WebhookDispatcher dispatcher,
            WebhookMetrics metrics,
            JsonMapper json,
            Clock clock) {
        this.store = store;
        this.targets = targets;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.subscription = bus.onPublish(this::accept);
    }

    /** Why the last event could not be stored, or {@code null} if the last one was. */
    String lastFailure() {
        return lastFailure;
    }

    private void accept(SessionEvent event) {
        try {
            List<WebhookEndpoint> endpoints = targets.forEvent(event);
            if (endpoints.isEmpty()) {
                return;
            }
            byte[] body = json.writeValueAsBytes(event);
            List<OutboxStore.NewDelivery> rows = new ArrayList<>(endpoints.size());
            for (WebhookEndpoint endpoint : endpoints) {
                rows.add(new OutboxStore.NewDelivery(
                        endpoint, event.sessionId(), event.id(), event.type().wireName(), body));
            }
            store.append(rows, clock.millis());
            lastFailure = null;
            dispatcher.wake();
        } catch (SQLException | RuntimeException e) {
            // Never fail the publisher: SSE, WebSocket and the session itself go on. Readiness turns DOWN.
            lastFailure = e.toString();
            metrics.enqueueFailed();
            log.error(
                    "Webhook outbox could not store event {} ({}) of session {}; its webhooks will not get it: {}",
                    event.id(),
                    event.type().wireName(),
                    event.sessionId(),
                    e.toString());
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
