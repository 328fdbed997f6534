package dev.linkwell.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.events.EventProperties;
import dev.linkwell.service.events.SessionEvent;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ServiceTest;
import dev.linkwell.service.support.WebSocketFrames;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Real SSE and WebSocket clients see what the engine reports. */
@ServiceTest
class EventTransportTest {

    private static final long WAIT_SECONDS = 5;

    @LocalServerPort
    int port;

    @Autowired
    ScriptedEngine engine;

    @Autowired
    EventBus bus;

    @Autowired
    EventProperties buffer;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    /** One parsed SSE event. */
    record Sse(String id, String event, Map<String, Object> envelope) {}

    @Test
    void qrReachesAFilteredSseClient() throws Exception {
        try (SseClient sse = new SseClient("/events?sessionId=sse1&type=session.qr", null)) {
            api.put("/sessions/sse-other");
            api.put("/sessions/sse1");

            Sse event = sse.next();
            assertThat(event.event()).isEqualTo("session.qr");
            assertThat(event.envelope())
                    .containsEntry("id", event.id())
                    .containsEntry("type", "session.qr")
                    .containsEntry("sessionId", "sse1")
                    .containsEntry("data", Map.of("qr", "qr:sse1:1"))
                    .containsKey("timestamp");
            assertThat((String) event.envelope().get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
        }
    }

    @Test
    void lastEventIdReplaysWhatTheClientMissed() throws Exception {
        String firstId;
        try (SseClient sse = new SseClient("/events?session=sse2", null)) {
            api.put("/sessions/sse2");
            Sse starting = sse.next();
            assertThat(starting.envelope().get("data")).isEqualTo(Map.of("status", "starting", "provider", "scripted"));
            firstId = starting.id();
        }
        engine.latest("sse2").open(null);

        try (SseClient replay = new SseClient("/events?session=sse2&type=session.qr,session.status", firstId)) {
            assertThat(replay.next().event()).isEqualTo("session.qr");
            Sse open = replay.next();
            assertThat(open.event()).isEqualTo("session.status");
            assertThat(open.envelope().get("data")).isEqualTo(Map.of("status", "open"));
            assertThat(Long.parseLong(open.id())).isGreaterThan(Long.parseLong(firstId));
        }
    }

    /** A Last-Event-ID older than the replay buffer: the stream says events were lost before replaying the rest. */
    @Test
    void aLastEventIdOlderThanTheBufferStartsWithAGap() throws Exception {
        SessionEvent first = bus.publish("gap1", new EventData.Qr("qr-0"));
        SessionEvent last = first;
        for (int i = 1; i <= buffer.bufferSize(); i++) {
            last = bus.publish("gap1", new EventData.Qr("qr-" + i));
        }
        long oldestLeft = first.sequence() + 1; // the buffer holds bufferSize events: all but the first

        try (SseClient sse = new SseClient("/events?session=gap1", Long.toString(first.sequence() - 1))) {
            Sse gap = sse.next();
            assertThat(gap.event()).isEqualTo("session.gap");
            assertThat(gap.id()).isEqualTo(first.id());
            assertThat(gap.envelope())
                    .containsEntry("type", "session.gap")
                    .containsEntry("sessionId", null)
                    .containsEntry(
                            "data",
                            Map.of(
                                    "lastEventId",
                                    Long.toString(first.sequence() - 1),
                                    "oldestEventId",
                                    Long.toString(oldestLeft)));
            Sse replayed = sse.next();
            assertThat(replayed.id()).isEqualTo(Long.toString(oldestLeft));
            assertThat(replayed.envelope().get("data")).isEqualTo(Map.of("qr", "qr-1"));
        }
        try (SseClient upToDate = new SseClient("/events?session=gap1", last.id())) {
            engine.stayQuiet("gap1");
            bus.publish("gap1", new EventData.Qr("qr-live"));
            assertThat(upToDate.next().envelope().get("data"))
                    .as("no gap for a client that missed nothing")
                    .isEqualTo(Map.of("qr", "qr-live"));
        }
    }

    @Test
    void qrReachesAFilteredWebSocketClient() throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = api.client()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://localhost:" + port + "/ws/events?session=ws1&type=session.qr"),
                        WebSocketFrames.collector(frames, null))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            api.put("/sessions/ws-other");
            api.put("/sessions/ws1");

            String frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(frame).isNotNull();
            Map<String, Object> envelope = Api.JSON_READER.apply(frame);
            assertThat(envelope)
                    .containsEntry("type", "session.qr")
                    .containsEntry("sessionId", "ws1")
                    .containsEntry("data", Map.of("qr", "qr:ws1:1"))
                    .containsKeys("id", "timestamp");
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void webSocketReplaysAfterLastEventId() throws Exception {
        api.put("/sessions/ws2");
        engine.latest("ws2").open(null);
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = api.client()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://localhost:" + port + "/ws/events?sessionId=ws2&lastEventId=0"),
                        WebSocketFrames.collector(frames, null))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            Map<String, Object> gap = Api.JSON_READER.apply(frames.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            assertThat(gap)
                    .as("0 names no event of this run: what came before is unknown")
                    .containsEntry("type", "session.gap")
                    .containsEntry("sessionId", null);
            assertThat(gap.get("data"))
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("lastEventId", "0")
                    .containsKey("oldestEventId");
            assertThat(Api.JSON_READER
                            .apply(frames.poll(WAIT_SECONDS, TimeUnit.SECONDS))
                            .get("data"))
                    .isEqualTo(Map.of("status", "starting", "provider", "scripted"));
            assertThat(Api.JSON_READER.apply(frames.poll(WAIT_SECONDS, TimeUnit.SECONDS)))
                    .containsEntry("type", "session.qr");
            assertThat(Api.JSON_READER
                            .apply(frames.poll(WAIT_SECONDS, TimeUnit.SECONDS))
                            .get("data"))
                    .isEqualTo(Map.of("status", "open"));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void webSocketWithABadFilterIsClosedWithPolicyViolation() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        api.client()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://localhost:" + port + "/ws/events?type=nope"),
                        WebSocketFrames.collector(new LinkedBlockingQueue<>(), closed))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(1008);
    }

    /**
     * A filter of 4-byte characters makes a long error message; the close reason (at most 123 bytes of UTF-8)
     * is cut on a character boundary, and the client gets its 1008.
     */
    @Test
    void aLongErrorOfFourByteCharactersStillClosesWithPolicyViolation() throws Exception {
        String emoji = "\uD83D\uDE00".repeat(60);
        CompletableFuture<WebSocketFrames.Close> close = new CompletableFuture<>();
        api.client()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://localhost:" + port + "/ws/events?type="
                                + java.net.URLEncoder.encode(emoji, java.nio.charset.StandardCharsets.UTF_8)),
                        WebSocketFrames.collector(new LinkedBlockingQueue<>(), null, close))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        WebSocketFrames.Close received = close.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(received.code()).isEqualTo(1008);
        byte[] reason = received.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(reason.length).isBetween(100, 123);
        assertThat(received.reason())
                .startsWith("unknown event type '\uD83D\uDE00")
                .doesNotContain("\uFFFD");
        assertThat(Character.isHighSurrogate(
                        received.reason().charAt(received.reason().length() - 1)))
                .isFalse();
    }

    /** A minimal SSE reader on the JDK HttpClient. */
    private final class SseClient implements AutoCloseable {

        private final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final Thread reader;

        SseClient(String path, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = api.client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            HttpResponse<Stream<String>> head = response.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            reader = Thread.ofVirtual().start(() -> {
                try {
                    parse(head.body());
                } catch (java.io.UncheckedIOException closedByTheTest) {
                    // the stream ends when the test closes it
                }
            });
        }

        private void parse(Stream<String> lines) {
            String[] current = new String[3];
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (current[2] != null) {
                        events.add(new Sse(current[0], current[1], Api.JSON_READER.apply(current[2])));
                    }
                    current[0] = current[1] = current[2] = null;
                } else if (line.startsWith("id:")) {
                    current[0] = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    current[1] = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    current[2] = line.substring(5).strip();
                }
            });
        }

        Sse next() throws InterruptedException {
            Sse event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("an SSE event within %ds", WAIT_SECONDS).isNotNull();
            return event;
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            reader.interrupt();
        }
    }
}
