package dev.linkwell.service.webhook;

import dev.linkwell.service.events.EventType;
import dev.linkwell.service.storage.StoredWebhook;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks webhook settings, from the API or the environment, before anything stores or uses them. */
public final class WebhookSpecs {

    static final int MAX_PER_SESSION = 10;
    static final int MAX_URL_LENGTH = 2048;
    static final int MIN_SECRET_LENGTH = 16;
    static final int MAX_SECRET_LENGTH = 512;

    private WebhookSpecs() {}

    /**
     * Checks the {@code webhooks} of a {@code PUT /sessions/{id}} body.
     *
     * @throws IllegalArgumentException with a message fit for a problem detail
     */
    public static void check(List<StoredWebhook> webhooks) {
        if (webhooks.size() > MAX_PER_SESSION) {
            throw new IllegalArgumentException("at most " + MAX_PER_SESSION + " webhooks per session");
        }
        Set<String> seen = new HashSet<>();
        for (StoredWebhook webhook : webhooks) {
            if (webhook == null) {
                throw new IllegalArgumentException("a webhook must be an object with url, events and secret");
            }
            url(webhook.url());
            if (!seen.add(webhook.url())) {
                throw new IllegalArgumentException("webhook url " + webhook.url() + " is listed twice");
            }
            eventTypes(webhook.events());
            secret(webhook.secret(), "webhook secret");
        }
    }

    /** An absolute http or https URL with a host and no user info; returns it parsed. */
    static URI url(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("webhook url is missing");
        }
        if (text.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("webhook url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("webhook url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("webhook url must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("webhook url has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "webhook url must not carry a user name or password; use a secret instead");
        }
        return uri;
    }

    static Set<EventType> eventTypes(List<String> names) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : names) {
            types.add(EventType.fromWireName(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + name + "'; known: "
                            + Arrays.stream(EventType.values())
                                    .map(EventType::wireName)
                                    .toList())));
        }
        return types;
    }

    static void secret(String secret, String what) {
        if (secret != null && (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH)) {
            throw new IllegalArgumentException(
                    what + " must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters long");
        }
    }
}
