package dev.linkwell.service.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.webhooks.*}.
 *
 * @param urls global receivers of every session's events ({@code WEBHOOK_URL}, comma-separated)
 * @param secret HMAC key that signs deliveries to the global receivers ({@code WEBHOOK_SECRET}); none means unsigned
 * @param events event types the global receivers get ({@code WEBHOOK_EVENTS}); empty means all
 * @param timeout how long one delivery attempt may take until the receiver answers
 * @param connectTimeout how long opening the connection to a receiver may take
 * @param maxAttempts attempts before an event goes to the dead letters
 * @param backoffBase ceiling of the first retry delay; doubles per attempt (full jitter below it)
 * @param backoffCap largest retry delay
 * @param maxInFlightPerReceiver deliveries at the same time to one receiver (scheme, host and port)
 * @param deadLetterRetention how long dead letters are kept before compaction drops them
 * @param compactInterval how often the outbox is compacted
 * @param shutdownGrace how long shutdown waits for deliveries in flight; the rest stay in the outbox
 * @param pollInterval how often the outbox is read when nothing woke the dispatcher: with several nodes on one
 *                     database, how soon rows another node added (and left when it died) go out from this one
 */
@ConfigurationProperties("linkwell.webhooks")
public record WebhookProperties(
        @DefaultValue("") List<URI> urls,
        String secret,
        @DefaultValue("") List<String> events,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("16") int maxAttempts,
        @DefaultValue("1s") Duration backoffBase,
        @DefaultValue("15m") Duration backoffCap,
        @DefaultValue("8") int maxInFlightPerReceiver,
        @DefaultValue("7d") Duration deadLetterRetention,
        @DefaultValue("1m") Duration compactInterval,
        @DefaultValue("5s") Duration shutdownGrace,
        @DefaultValue("1s") Duration pollInterval) {

    public WebhookProperties {
        urls = urls == null ? List.of() : List.copyOf(urls);
        events = events == null
                ? List.of()
                : events.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
        secret = secret == null || secret.isBlank() ? null : secret;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("linkwell.webhooks.max-attempts must be at least 1");
        }
        if (maxInFlightPerReceiver < 1) {
            throw new IllegalArgumentException("linkwell.webhooks.max-in-flight-per-receiver must be at least 1");
        }
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("need 0 < linkwell.webhooks.backoff-base <= backoff-cap");
        }
        if (!timeout.isPositive()
                || !connectTimeout.isPositive()
                || !compactInterval.isPositive()
                || !pollInterval.isPositive()) {
            throw new IllegalArgumentException(
                    "linkwell.webhooks timeouts, compact-interval and poll-interval must be positive");
        }
    }

    @Override
    public String toString() {
        return "WebhookProperties[urls=" + urls + ", signed=" + (secret != null) + ", events=" + events + "]";
    }
}
