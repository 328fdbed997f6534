package dev.linkwell.service.webhook;

import static dev.linkwell.service.support.WebhookReceiver.stall;
import static dev.linkwell.service.support.WebhookReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ServiceTest;
import dev.linkwell.service.support.WebhookReceiver;
import dev.linkwell.service.support.WebhookReceiver.Received;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Per-session webhooks against real receivers on loopback: signed deliveries, a receiver that fails,
 * times out, answers 410 and recovers, dead letters and their retry, order per lane, and a slow
 * receiver that holds up neither the bus nor another receiver.
 */
@ServiceTest
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET = "a-receiver-secret-0123456789";

    @LocalServerPort
    int port;

    @Autowired
    ScriptedEngine engine;

    @Autowired
    EventBus bus;

    @Autowired
    StorageProperties storage;

    Api api;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void everyEventArrivesSignedWithItsIdAndTimestamp() throws Exception {
        HttpResponse<String> put = api.putJson("/sessions/wh-sign", webhooks(hook(receiver.url(), SECRET)));

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(Api.json(put).get("webhooks"))
                .isEqualTo(List.of(Map.of("url", receiver.url(), "events", List.of(), "signed", true)));
        assertThat(put.body()).doesNotContain(SECRET);
        List<Received> got = receiver.await(r -> true, 2, WAIT);
        assertThat(got).extracting(r -> r.envelope().get("type")).containsExactly("session.status", "session.qr");
        for (Received delivery : got) {
            Map<String, Object> envelope = delivery.envelope();
            assertThat(envelope)
                    .containsOnlyKeys("id", "type", "sessionId", "timestamp", "data")
                    .containsEntry("sessionId", "wh-sign");
            assertThat(delivery.header("X-Linkwell-Event-Id")).isEqualTo(envelope.get("id"));
            assertThat(delivery.header("Content-Type")).startsWith("application/json");
            long timestamp = Long.parseLong(delivery.header("X-Linkwell-Timestamp"));
            assertThat(timestamp)
                    .isBetween(
                            Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 300);
            assertThat(delivery.header("X-Linkwell-Signature"))
                    .isEqualTo("sha256=" + hmac(SECRET, timestamp + "." + text(delivery)));
        }
        // Stored with the session, secret included, readable only by the service's user.
        Path file = storage.root().resolve("sessions/wh-sign/session.json");
        assertThat(Files.readString(file)).contains(receiver.url(), SECRET);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void aReceiverThatFailsTimesOutAndThrottlesGetsTheEventOnceItRecovers() {
        receiver.then(status(500), stall(Duration.ofSeconds(3)), status(429));
        api.putJson("/sessions/wh-recover", webhooks(hook(receiver.url(), SECRET, "session.qr")));

        List<Received> attempts = receiver.await(r -> true, 4, WAIT);

        assertThat(attempts)
                .extracting(Received::eventId)
                .containsOnly(attempts.getFirst().eventId());
        assertThat(attempts).extracting(r -> r.header("X-Linkwell-Attempt")).containsExactly("1", "2", "3", "4");
        assertThat(attempts).extracting(WebhookDeliveryTest::text).containsOnly(text(attempts.getFirst()));
        assertThat(deadLetters("wh-recover")).isEmpty();
    }

    @Test
    void goneIsNotRetriedAndTheDeadLetterCanBeSentAgain() {
        receiver.then(status(410));
        api.putJson("/sessions/wh-gone", webhooks(hook(receiver.url(), SECRET, "session.qr")));
        Received first = receiver.await(r -> true, 1, WAIT).getFirst();

        List<Map<String, Object>> dead = awaitDeadLetters("wh-gone", 1);

        assertThat(receiver.received()).hasSize(1);
        Map<String, Object> letter = dead.getFirst();
        assertThat(letter)
                .containsEntry("eventId", first.eventId())
                .containsEntry("eventType", "session.qr")
                .containsEntry("sessionId", "wh-gone")
                .containsEntry("url", receiver.url())
                .containsEntry("attempts", 1)
                .containsEntry("lastStatus", 410)
                .containsKeys("id", "lastError", "createdAt", "deadAt")
                .doesNotContainKey("secret");
        assertThat(letter.get("event")).isEqualTo(first.envelope());

        HttpResponse<String> retry =
                api.send(HttpRequest.newBuilder(api.uri("/webhooks/dead-letters/" + letter.get("id") + "/retry"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());

        assertThat(retry.statusCode()).isEqualTo(202);
        Received again = receiver.await(r -> true, 2, WAIT).get(1);
        assertThat(again.eventId()).isEqualTo(first.eventId());
        assertThat(text(again)).isEqualTo(text(first));
        assertThat(awaitDeadLetters("wh-gone", 0)).isEmpty();
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/webhooks/dead-letters/" + letter.get("id") + "/retry"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void afterTheLastAttemptTheEventIsADeadLetter() {
        receiver.answering(r -> status(500));
        api.putJson("/sessions/wh-dead", webhooks(hook(receiver.url(), SECRET, "session.qr")));

        List<Map<String, Object>> dead = awaitDeadLetters("wh-dead", 1);

        assertThat(receiver.received()).hasSize(4);
        assertThat(dead.getFirst()).containsEntry("attempts", 4).containsEntry("lastStatus", 500);
        assertThat((String) dead.getFirst().get("lastError")).startsWith("HTTP 500");
    }

    @Test
    void eventsOfALaneArriveInOrderWhileTheFirstIsRetried() {
        receiver.then(status(503), status(500));
        try (EventRecorder events = new EventRecorder(bus, "wh-order")) {
            api.putJson("/sessions/wh-order", webhooks(hook(receiver.url(), null)));
            ScriptedEngine.Socket socket = engine.latest("wh-order");
            socket.open("51987654321@s.whatsapp.net");
            for (int n = 1; n <= 5; n++) {
                socket.message(Map.of("n", n));
            }
            List<String> published =
                    events.all().stream().map(EventRecorder.Event::id).toList();

            receiver.await(r -> r.eventId().equals(published.getLast()), 1, WAIT);

            List<Long> arrivals = receiver.received().stream()
                    .map(r -> Long.parseLong(r.eventId()))
                    .toList();
            assertThat(arrivals)
                    .as("a lane never sends a later event before an earlier one is through")
                    .isSorted();
            assertThat(arrivals.stream().distinct().map(String::valueOf).toList())
                    .isEqualTo(published);
            assertThat(receiver.received().getFirst().header("X-Linkwell-Signature"))
                    .as("no secret, no signature")
                    .isNull();
        }
    }

    @Test
    void aSlowReceiverHoldsUpNeitherTheBusNorAnotherReceiver() {
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver slow = new WebhookReceiver().answering(r -> new WebhookReceiver.Answer.Hold(release));
                EventRecorder events = new EventRecorder(bus, "wh-slow")) {
            api.putJson("/sessions/wh-slow", webhooks(hook(slow.url(), SECRET), hook(receiver.url(), SECRET)));
            ScriptedEngine.Socket socket = engine.latest("wh-slow");
            for (int n = 1; n <= 20; n++) {
                socket.message(Map.of("n", n)); // returns although the slow receiver holds its first delivery
            }
            int published = events.all().size();

            receiver.await(r -> true, published, WAIT);

            // its first event only; on a busy machine its held answer may time out first and the same event come
            // again (the retry), but no later event passes it
            String first = slow.received().getFirst().eventId();
            assertThat(slow.received())
                    .as("the slow lane waits on its first delivery")
                    .extracting(Received::eventId)
                    .containsOnly(first);
            release.countDown();
            List<Received> late = slow.await(r -> true, published, WAIT);
            assertThat(late.stream().map(r -> Long.parseLong(r.eventId())).toList())
                    .isSorted();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"webhooks\":[{\"url\":\"ftp://example.com/x\"}]}",
                "{\"webhooks\":[{\"url\":\"http://user:pw@example.com/x\"}]}",
                "{\"webhooks\":[{\"url\":\"not a url\"}]}",
                "{\"webhooks\":[{\"url\":\"http://example.com/x\",\"events\":[\"session.nope\"]}]}",
                "{\"webhooks\":[{\"url\":\"http://example.com/x\",\"secret\":\"short\"}]}",
                "{\"webhooks\":[{\"url\":\"http://example.com/x\"},{\"url\":\"http://example.com/x\"}]}",
                "{\"webhooks\":[{\"url\":\"http://example.com/x\",\"retries\":3}]}",
                "{\"webhooks\":[{}]}",
                "{\"webhooks\":[null]}",
            })
    void badWebhooksAreRefusedAndNothingIsStored(String body) {
        HttpResponse<String> response = api.putJson("/sessions/wh-bad", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((String) Api.json(response).get("detail")).isNotBlank();
        assertThat(storage.root().resolve("sessions/wh-bad")).doesNotExist();
    }

    @Test
    void moreThanTenWebhooksAreRefused() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("{\"url\":\"http://example.com/")
                    .append(i)
                    .append("\"}");
        }
        HttpResponse<String> response = api.putJson("/sessions/wh-many", "{\"webhooks\":[" + many + "]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat((String) Api.json(response).get("detail")).contains("at most 10");
    }

    @Test
    void webhooksLeftOutOfAPutAreKeptAndAnEmptyListRemovesThem() {
        api.putJson("/sessions/wh-keep", webhooks(hook(receiver.url(), SECRET)));
        api.delete("/sessions/wh-keep");

        assertThat(Api.json(api.put("/sessions/wh-keep")).get("webhooks"))
                .asList()
                .hasSize(1);
        assertThat(Api.json(api.putJson("/sessions/wh-keep", "{\"webhooks\":[]}"))
                        .get("webhooks"))
                .asList()
                .isEmpty();
    }

    private List<Map<String, Object>> deadLetters(String sessionId) {
        HttpResponse<String> response = api.get("/webhooks/dead-letters?sessionId=" + sessionId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Api.JSON_LIST_READER.apply(response.body());
    }

    private List<Map<String, Object>> awaitDeadLetters(String sessionId, int count) {
        try {
            Awaitility.await().atMost(WAIT).until(() -> deadLetters(sessionId).size() == count);
        } catch (ConditionTimeoutException e) {
            // the assertion says how many there are
        }
        List<Map<String, Object>> letters = deadLetters(sessionId);
        assertThat(letters).as("dead letters of " + sessionId).hasSize(count);
        return letters;
    }

    static String webhooks(String... hooks) {
        return "{\"webhooks\":[" + String.join(",", hooks) + "]}";
    }

    static String hook(String url, String secret, String... events) {
        StringBuilder json = new StringBuilder("{\"url\":\"").append(url).append('"');
        if (secret != null) {
            json.append(",\"secret\":\"").append(secret).append('"');
        }
        if (events.length > 0) {
            json.append(",\"events\":[\"").append(String.join("\",\"", events)).append("\"]");
        }
        return json.append('}').toString();
    }

    static String text(Received received) {
        return new String(received.body(), StandardCharsets.UTF_8);
    }

    /** The receiver's side of the check, written independently of the service's signer. */
    static String hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
