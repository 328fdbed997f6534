package dev.linkwell.service.web;

import dev.linkwell.client.SessionIds;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SendException;
import dev.linkwell.service.engine.SessionMdc;
import dev.linkwell.service.session.SessionException;
import dev.linkwell.service.session.SessionException.Kind;
import dev.linkwell.service.session.SessionService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /sessions/{id}/messages}: sends a text message through the session's engine. */
@RestController
@RequestMapping("/sessions")
@Tag(name = "Messages", description = "Send messages through a ready session")
class MessageController {

    private static final Logger log = LoggerFactory.getLogger(MessageController.class);
    /** A safety net only: engines bound their own sends (the Baileys host answers within its request timeout). */
    private static final long SEND_WAIT_SECONDS = 120;

    private final SessionService sessions;
    private final SentMessages sent;
    private final Counter messagesOut;

    MessageController(SessionService sessions, SentMessages sent, MeterRegistry registry) {
        this.sessions = sessions;
        this.sent = sent;
        this.messagesOut = Counter.builder("linkwell.messages.out")
                .description("Messages sent through the API")
                .register(registry);
    }

    @Operation(
            summary = "Send a text message",
            description =
                    "Sends once WhatsApp took the message and answers with its id. `to` is a phone number (digits, "
                            + "country code first) or a JID (`...@s.whatsapp.net`, `...@lid`, `...@g.us`). An optional `id` of yours makes "
                            + "the request idempotent: the same id again answers with the same message id and sends nothing (kept 24 h "
                            + "with the session's credentials, so also across a restart). The session must be ready. Provider native "
                            + "sends to users, not to groups (501).",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = SendMessageBody.class),
                                            examples = @ExampleObject(value = """
                {"to": "51987654321", "text": "Your order has shipped", "id": "order-1234-shipped"}"""))))
    @ApiResponse(
            responseCode = "201",
            description = "Sent",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"id": "3EB0C431D5B2A1F0E9D8", "sessionId": "shop-1", "to": "51987654321@s.whatsapp.net", "clientId": "order-1234-shipped"}""")))
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @ApiResponse(responseCode = "413", ref = "ContentTooLarge")
    @ApiResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "UnprocessableContent")
    @ApiResponse(responseCode = "501", ref = "NotImplemented")
    @ApiResponse(responseCode = "502", ref = "BadGateway")
    @ApiResponse(responseCode = "503", ref = "Unavailable")
    @ApiResponse(responseCode = "504", ref = "GatewayTimeout")
    @PostMapping("/{id}/messages")
    ResponseEntity<Map<String, Object>> send(
            @PathVariable String id, @RequestBody(required = false) SendMessageBody body) {
        if (!SessionIds.isValid(id)) {
            throw new SessionException(
                    Kind.INVALID, "Invalid request", "session id must match " + SessionIds.PATTERN.pattern());
        }
        OutgoingText message = OutgoingText.of(body);
        SentMessages.Outcome outcome;
        try {
            outcome = sent.send(id, message, () -> {
                        EngineSession socket = sessions.readySocket(id);
                        return socket.sendText(message.to(), message.text());
                    })
                    .get(SEND_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new SessionException(Kind.CONFLICT, "Message id already used", e.getMessage());
        } catch (ExecutionException | CompletionException e) {
            throw failure(id, message, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw new SendException(
                    SendException.Kind.TIMEOUT,
                    "the engine did not confirm the message within " + SEND_WAIT_SECONDS
                            + " s; it may or may not have been sent");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(Kind.UNAVAILABLE, "Interrupted", "the service is stopping");
        }
        if (!outcome.replayed()) {
            messagesOut.increment();
            SessionMdc.run(id, () -> log.info("Sent message {} to {}", outcome.messageId(), message.to()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", outcome.messageId());
        answer.put("sessionId", id);
        answer.put("to", message.to());
        if (message.clientId() != null) {
            answer.put("clientId", message.clientId());
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    private static RuntimeException failure(String sessionId, OutgoingText message, Throwable cause) {
        Throwable t = cause;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SessionException e) {
            return e; // 404 unknown session, 409 not ready
        }
        if (!(t instanceof SendException e)) {
            SessionMdc.run(sessionId, () -> log.error("Sending to {} failed unexpectedly", message.to(), cause));
            return new IllegalStateException("sending failed unexpectedly", cause);
        }
        SessionMdc.run(
                sessionId, () -> log.warn("Sending to {} failed ({}): {}", message.to(), e.kind(), e.getMessage()));
        return e; // ApiExceptionHandler maps its kind to a status
    }
}
