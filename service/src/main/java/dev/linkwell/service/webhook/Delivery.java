package dev.linkwell.service.webhook;

/**
 * One event for one endpoint, as the outbox keeps it until the receiver took it.
 *
 * @param id the outbox row id; also the dead-letter id in the API
 * @param endpointKey see {@link WebhookEndpoint#key()}
 * @param secret the endpoint's secret when the event was accepted, or {@code null}
 * @param body the event envelope JSON, exactly the bytes every attempt sends
 * @param attempts attempts made so far
 * @param nextAt epoch millis of the next attempt
 * @param deadAt epoch millis when it became a dead letter, or {@code null} while it is pending
 * @param lastStatus HTTP status of the last attempt, or {@code null} (no answer, or no attempt yet)
 * @param lastError what went wrong in the last attempt, or {@code null}
 */
record Delivery(
        long id,
        String endpointKey,
        String url,
        String secret,
        String sessionId,
        String eventId,
        String eventType,
        byte[] body,
        long createdAt,
        int attempts,
        long nextAt,
        Long deadAt,
        Integer lastStatus,
        String lastError) {

    @Override
    public String toString() {
        return "Delivery[" + id + " " + eventType + " " + eventId + " of " + sessionId + " to " + url + "]";
    }
}
