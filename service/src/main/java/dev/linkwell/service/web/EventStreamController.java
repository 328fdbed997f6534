package dev.linkwell.service.web;

import dev.linkwell.service.events.EventClients;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.EventPump;
import dev.linkwell.service.events.SessionEvent;
import dev.linkwell.service.security.Caller;
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
class EventStreamController {

    private final EventClients clients;
    private final JsonMapper json;

    EventStreamController(EventClients clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
        @RequestParam(name = "sessionId", required = false) List<String> sessionIds,
        @RequestParam(name = "session", required = false) List<String> sessions,
        @RequestParam(name = "type", required = false) List<String> types,
        @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
        @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
        HttpServletRequest request) throws IOException {
        EventFilter filter = Caller.of(request).restrict(filter(sessionIds, sessions, types));
        Long lastEventId = parseLastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        SseEmitter emitter = new SseEmitter(0L); // 0: no timeout; heartbeats find dead clients
        // A first comment makes the response (headers included) go out now rather than at the first event.
        emitter.send(SseEmitter.event().comment("connected"));
        EventPump pump = clients.connect(filter, lastEventId, "sse-client", new EventPump.Sender() {
            @Override
            public void send(SessionEvent event) throws IOException {
                emitter.send(SseEmitter.event()
                    .id(event.id())
                    .name(event.type().wireName())
                    .data(json.writeValueAsString(event), MediaType.APPLICATION_JSON));
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
