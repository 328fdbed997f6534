package dev.linkwell.service.web;

import dev.linkwell.service.events.EventClients;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.EventPump;
import dev.linkwell.service.events.StreamItem;
import dev.linkwell.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /events}: the event bus as Server-Sent Events. */
@RestController
@Tag(name = "Events", description = "Session events as Server-Sent Events and over WebSocket")
class EventStreamController {

    private final EventClients clients;
    private final JsonMapper json;

    EventStreamController(EventClients clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    @Operation(
            summary = "Event stream (Server-Sent Events)",
            description =
                    "event: is the type, id: the envelope id, data: the envelope JSON {id, type, sessionId, timestamp, data}. "
                            + "Idle streams get a keep-alive comment every 15 s. A session key's stream carries only its session; browsers "
                            + "(EventSource cannot set headers) may pass the key as ?apiKey=.")
    @ApiResponse(
            responseCode = "200",
            description = "The stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, examples = @ExampleObject(value = """
            id:1764063612345002
            event:session.qr
            data:{"id":"1764063612345002","type":"session.qr","sessionId":"shop-1","timestamp":"2026-11-25T09:40:12.345Z","data":{"qr":"2@..."}}
            """)))
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
            @Parameter(description = "Session ids to follow, repeatable or comma-separated")
                    @RequestParam(name = "sessionId", required = false)
                    List<String> sessionIds,
            @Parameter(description = "Alias of sessionId") @RequestParam(name = "session", required = false)
                    List<String> sessions,
            @Parameter(description = "Event types, e.g. session.qr,session.status")
                    @RequestParam(name = "type", required = false)
                    List<String> types,
            @Parameter(description = "Replay buffered events after this id (or send Last-Event-ID)")
                    @RequestParam(name = "lastEventId", required = false)
                    String lastEventIdParam,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @Parameter(hidden = true) HttpServletRequest request)
            throws IOException {
        EventFilter filter = Caller.of(request).restrict(filter(sessionIds, sessions, types));
        Long lastEventId = parseLastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        SseEmitter emitter = new SseEmitter(0L); // 0: no timeout; heartbeats find dead clients
        // A first comment makes the response (headers included) go out now rather than at the first event.
        emitter.send(SseEmitter.event().comment("connected"));
        EventPump pump = clients.connect(filter, lastEventId, "sse-client", new EventPump.Sender() {
            @Override
            public void send(StreamItem item) throws IOException {
                emitter.send(SseEmitter.event()
                        .id(item.id())
                        .name(item.typeName())
                        .data(json.writeValueAsString(item), MediaType.APPLICATION_JSON));
            }

            @Override
            public void heartbeat() throws IOException {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            }

            @Override
            public void close() {
                emitter.complete();
            }
        });
        emitter.onCompletion(pump::close);
        emitter.onTimeout(pump::close);
        emitter.onError(e -> pump.close());
        return emitter;
    }

    static EventFilter filter(List<String> sessionIds, List<String> sessions, List<String> types) {
        List<String> ids = new ArrayList<>();
        if (sessionIds != null) {
            ids.addAll(sessionIds);
        }
        if (sessions != null) {
            ids.addAll(sessions);
        }
        try {
            return EventFilter.parse(ids, types == null ? List.of() : types);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    static Long parseLastEventId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Last-Event-ID must be an event id (a number)");
        }
    }
}
