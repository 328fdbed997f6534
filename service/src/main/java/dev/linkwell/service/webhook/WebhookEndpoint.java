package dev.linkwell.service.webhook;

import dev.linkwell.service.events.EventType;
import java.net.URI;
import java.util.Set;

/**
 * One receiver subscription: the global {@code WEBHOOK_URL}s, or a webhook of one session.
 *
 * @param key stable name of the subscription; with the session id it names a delivery lane, in which
 *            events go out strictly in order
 * @param events the types it wants; empty means all
 * @param secret the HMAC key, or {@code null} for unsigned deliveries
 */
record WebhookEndpoint(String key, URI url, Set<EventType> events, String secret) {

    static final String GLOBAL_PREFIX = "global ";
    static final String SESSION_PREFIX = "session ";

    static WebhookEndpoint global(URI url, Set<EventType> events, String secret) {
        return new WebhookEndpoint(GLOBAL_PREFIX + url, url, Set.copyOf(events), secret);
    }

    static WebhookEndpoint ofSession(String sessionId, URI url, Set<EventType> events, String secret) {
        return new WebhookEndpoint(SESSION_PREFIX + sessionId + " " + url, url, Set.copyOf(events), secret);
    }

    boolean wants(EventType type) {
        return events.isEmpty() || events.contains(type);
    }

    @Override
    public String toString() {
        return "WebhookEndpoint[" + key + ", signed=" + (secret != null) + "]";
    }
}
