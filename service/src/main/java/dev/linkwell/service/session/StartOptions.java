package dev.linkwell.service.session;

import dev.linkwell.service.storage.StoredWebhook;
import java.util.List;

/**
 * What a client may choose when starting a session; {@code null} means "default".
 *
 * @param webhooks the session's webhooks (already checked); {@code null} keeps those it has
 */
public record StartOptions(String provider, String phone, String storage, List<StoredWebhook> webhooks) {

    public static final StartOptions DEFAULTS = new StartOptions(null, null, null, null);

    public StartOptions {
        webhooks = webhooks == null ? null : List.copyOf(webhooks);
    }
}
