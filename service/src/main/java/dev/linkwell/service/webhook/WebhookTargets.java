package dev.linkwell.service.webhook;

import dev.linkwell.service.config.StartupFailure;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.events.SessionEvent;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.storage.StoredWebhook;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Which endpoints get an event: the global {@code WEBHOOK_URL}s (checked at start) and the webhooks
 * of the event's session (checked when they were registered), each with its event filter.
 */
@Component
public class WebhookTargets {

    private final List<WebhookEndpoint> global;
    private final String globalSecret;
    private final SessionService sessions;

    public WebhookTargets(WebhookProperties properties, SessionService sessions) {
        this.sessions = sessions;
        this.globalSecret = properties.secret();
        try {
            WebhookSpecs.secret(properties.secret(), "WEBHOOK_SECRET (linkwell.webhooks.secret)");
            Set<EventType> events = WebhookSpecs.eventTypes(properties.events());
            List<WebhookEndpoint> endpoints = new ArrayList<>();
            for (URI url : properties.urls()) {
                endpoints.add(WebhookEndpoint.global(WebhookSpecs.url(url.toString()), events, properties.secret()));
            }
            this.global = List.copyOf(endpoints);
        } catch (IllegalArgumentException e) {
            throw StartupFailure.badSetting(
                    "Invalid global webhook setting (WEBHOOK_URL, WEBHOOK_EVENTS, WEBHOOK_SECRET): " + e.getMessage());
        }
    }

    List<WebhookEndpoint> global() {
        return global;
    }

    List<WebhookEndpoint> forEvent(SessionEvent event) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (WebhookEndpoint endpoint : global) {
            if (endpoint.wants(event.type())) {
                endpoints.add(endpoint);
            }
        }
        for (StoredWebhook webhook : sessions.webhooks(event.sessionId())) {
            WebhookEndpoint endpoint = ofSession(event.sessionId(), webhook);
            if (endpoint.wants(event.type())) {
                endpoints.add(endpoint);
            }
        }
        return endpoints;
    }

    /**
     * The secret to sign an attempt with: the endpoint's current one, so a rotated secret applies to
     * events still waiting; the one it had when the event was accepted if the endpoint is gone (its
     * session was removed, say).
     */
    String secretFor(Delivery delivery) {
        if (delivery.endpointKey().startsWith(WebhookEndpoint.GLOBAL_PREFIX)) {
            return globalSecret;
        }
        for (StoredWebhook webhook : sessions.webhooks(delivery.sessionId())) {
            if (ofSession(delivery.sessionId(), webhook).key().equals(delivery.endpointKey())) {
                return webhook.secret();
            }
        }
        return delivery.secret();
    }

    private static WebhookEndpoint ofSession(String sessionId, StoredWebhook webhook) {
        return WebhookEndpoint.ofSession(
                sessionId, URI.create(webhook.url()), WebhookSpecs.eventTypes(webhook.events()), webhook.secret());
    }
}
