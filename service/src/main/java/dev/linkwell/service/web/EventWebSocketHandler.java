package dev.linkwell.service.web;

import dev.linkwell.service.events.EventClients;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.EventPump;
import dev.linkwell.service.events.StreamItem;
import dev.linkwell.service.security.CallerHandshakeInterceptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /ws/events}: the event bus over WebSocket, one envelope per text frame. Takes the same query
 * filters as {@code GET /events}, plus {@code lastEventId} for replay.
 */
@Component
class EventWebSocketHandler extends TextWebSocketHandler {

    private static final String PUMP = "eventPump";
    private static final int MAX_REASON_BYTES = 123;

    private final EventClients clients;
    private final JsonMapper json;

    EventWebSocketHandler(EventClients clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        MultiValueMap<String, String> query =
                UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams();
        EventFilter filter;
        Long lastEventId;
        try {
            filter = CallerHandshakeInterceptor.of(session.getAttributes())
                    .restrict(EventStreamController.filter(
                            decode(query.get("sessionId")), decode(query.get("session")), decode(query.get("type"))));
            lastEventId = EventStreamController.parseLastEventId(query.getFirst("lastEventId"));
        } catch (ResponseStatusException e) {
            session.close(CloseStatus.POLICY_VIOLATION.withReason(truncate(e.getReason())));
            return;
        }
        EventPump pump = clients.connect(filter, lastEventId, "ws-client", new EventPump.Sender() {
            @Override
            public void send(StreamItem item) throws IOException {
                session.sendMessage(new TextMessage(json.writeValueAsString(item)));
            }

            @Override
            public void heartbeat() throws IOException {
                session.sendMessage(new PingMessage(ByteBuffer.allocate(0)));
            }

            @Override
            public void close() {
                try {
                    session.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        });
        session.getAttributes().put(PUMP, pump);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        if (session.getAttributes().get(PUMP) instanceof EventPump pump) {
            pump.close();
        }
    }

    private static List<String> decode(List<String> values) {
        return values == null
                ? null
                : values.stream()
                        .map(v -> java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8))
                        .toList();
    }

    /**
     * A close reason is at most 123 bytes of UTF-8 (RFC 6455 5.5: a control frame holds 125 bytes, two of them
     * the code). Cuts on a code point boundary, so no character is split.
     */
    private static String truncate(String reason) {
        if (reason == null) {
            return null;
        }
        int bytes = 0;
        int end = 0;
        while (end < reason.length()) {
            int codePoint = reason.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > MAX_REASON_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return reason.substring(0, end);
    }
}
