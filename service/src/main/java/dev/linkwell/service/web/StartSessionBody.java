package dev.linkwell.service.web;

import dev.linkwell.service.session.StartOptions;
import dev.linkwell.service.storage.StoredWebhook;
import dev.linkwell.service.webhook.WebhookSpecs;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Optional body of {@code PUT /sessions/{id}}; unknown fields are rejected.
 *
 * @param webhooks the session's webhooks; left out keeps those it has, {@code []} removes them
 */
record StartSessionBody(String provider, String phone, String storage, List<StoredWebhook> webhooks) {

    StartOptions toOptions() {
        if (webhooks != null) {
            try {
                WebhookSpecs.check(webhooks);
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
        }
        return new StartOptions(provider, phone, storage, webhooks);
    }
}
