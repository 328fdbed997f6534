package dev.linkwell.service.webhook;

import dev.linkwell.client.SessionIds;
import dev.linkwell.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /webhooks/dead-letters}: deliveries that used up their attempts or were refused for good,
 * newest first, and a way to send one again. A session key sees only its session's.
 */
@RestController
@RequestMapping("/webhooks/dead-letters")
@Tag(name = "Webhooks", description = "Deliveries that failed for good, and sending them again")
class DeadLetterController {

    static final int MAX_LIMIT = 1000;

    /**
     * A dead letter as the API shows it (never the endpoint's secret).
     *
     * @param id what {@code POST /webhooks/dead-letters/{id}/retry} takes
     * @param event the envelope exactly as it was sent
     */
    record DeadLetter(
            String id,
            String eventId,
            String eventType,
            String sessionId,
            String url,
            int attempts,
            Integer lastStatus,
            String lastError,
            Instant createdAt,
            Instant deadAt,
            Map<String, Object> event) {}

    private final OutboxStore store;
    private final WebhookDispatcher dispatcher;
    private final JsonMapper json;
    private final Clock clock;

    DeadLetterController(OutboxStore store, WebhookDispatcher dispatcher, JsonMapper json, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.json = json;
        this.clock = clock;
    }

    @Operation(summary = "List dead letters", description = "Newest first; a session key sees only its session's.")
    @ApiResponse(responseCode = "200", description = "The dead letters")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @GetMapping
    List<DeadLetter> list(
            @Parameter(description = "Only this session's") @RequestParam(name = "sessionId", required = false)
                    String sessionId,
            @Parameter(description = "At most this many, 1 to 1000") @RequestParam(name = "limit", defaultValue = "100")
                    int limit,
            @Parameter(hidden = true) HttpServletRequest request) {
        if (sessionId != null && !SessionIds.isValid(sessionId)) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "session id must match " + SessionIds.PATTERN.pattern());
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + MAX_LIMIT);
        }
        Caller caller = Caller.of(request);
        if (!caller.isAdmin()) {
            if (sessionId != null && !caller.canSee(sessionId)) {
                throw caller.forbidden();
            }
            sessionId = caller.sessionId();
        }
        try {
            return store.deadLetters(sessionId, limit).stream().map(this::view).toList();
        } catch (SQLException e) {
            throw outboxUnavailable(e);
        }
    }

    /** Makes the dead letter pending again with a fresh set of attempts; it goes out at once. */
    @Operation(
            summary = "Send a dead letter again",
            description =
                    "It becomes pending with a fresh set of attempts and goes out at once, ahead of newer events of its lane.")
    @ApiResponse(responseCode = "202", description = "Pending again")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @ApiResponse(responseCode = "503", ref = "Unavailable")
    @PostMapping("/{id}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> retry(@PathVariable String id, @Parameter(hidden = true) HttpServletRequest request) {
        long rowId = parseId(id);
        Caller caller = Caller.of(request);
        try {
            Delivery delivery = store.find(rowId)
                    .filter(d -> d.deadAt() != null && caller.canSee(d.sessionId()))
                    .orElseThrow(
                            () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead letter '" + id + "'"));
            if (!store.redeliver(delivery.id(), clock.millis())) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead letter '" + id + "'");
            }
            dispatcher.wake();
            return Map.of("id", id, "eventId", delivery.eventId(), "status", "pending");
        } catch (SQLException e) {
            throw outboxUnavailable(e);
        }
    }

    private DeadLetter view(Delivery d) {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = json.readValue(d.body(), Map.class);
        return new DeadLetter(
                Long.toString(d.id()),
                d.eventId(),
                d.eventType(),
                d.sessionId(),
                d.url(),
                d.attempts(),
                d.lastStatus(),
                d.lastError(),
                Instant.ofEpochMilli(d.createdAt()),
                d.deadAt() == null ? null : Instant.ofEpochMilli(d.deadAt()),
                event);
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a dead-letter id is a number");
        }
    }

    private static ResponseStatusException outboxUnavailable(SQLException e) {
        return new ResponseStatusException(
                HttpStatus.SERVICE_UNAVAILABLE, "the webhook outbox cannot be read: " + e.getMessage());
    }
}
