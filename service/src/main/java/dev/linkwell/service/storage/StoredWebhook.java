package dev.linkwell.service.storage;

import java.util.List;

/**
 * A webhook registered for one session ({@code webhooks} in the body of {@code PUT /sessions/{id}}),
 * kept in {@code session.json}. Checked by the API before it is stored.
 *
 * @param url where events are POSTed (http or https)
 * @param events event type wire names to deliver; empty means every type
 * @param secret HMAC key for {@code X-Linkwell-Signature}, or {@code null} for unsigned deliveries
 */
public record StoredWebhook(String url, List<String> events, String secret) {

    public StoredWebhook {
        events = events == null ? List.of() : List.copyOf(events);
    }

    @Override
    public String toString() {
        // Never print the secret, whoever logs this record.
        return "StoredWebhook[url=" + url + ", events=" + events + ", signed=" + (secret != null) + "]";
    }
}
