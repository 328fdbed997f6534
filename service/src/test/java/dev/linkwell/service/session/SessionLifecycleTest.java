package dev.linkwell.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.DisconnectReason;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ServiceTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

@ServiceTest
@ExtendWith(OutputCaptureExtension.class)
class SessionLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @LocalServerPort
    int port;

    @Autowired
    ScriptedEngine engine;

    @Autowired
    EventBus bus;

    @Autowired
    StorageProperties storage;

    @Autowired
    SessionProperties properties;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void putAnswersWithTheEnginesQrAndStoresItAsCurrent() {
        try (EventRecorder events = new EventRecorder(bus, "qr1")) {
            HttpResponse<String> response = api.put("/sessions/qr1");

            assertThat(response.statusCode()).isEqualTo(200);
            Map<String, Object> body = Api.json(response);
            assertThat(body)
                    .containsEntry("sessionId", "qr1")
                    .containsEntry("status", "starting")
                    .containsEntry("connection", "connecting")
                    .containsEntry("provider", ScriptedEngine.PROVIDER)
                    .containsEntry("qr", "qr:qr1:1")
                    .containsEntry("pairingCode", null)
                    .containsEntry("reason", null);
            assertThat((String) body.get("updatedAt")).as("ISO-8601 instant").matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
            assertThat(events.of(EventType.QR))
                    .singleElement()
                    .satisfies(e -> assertThat(e.data()).isEqualTo(Map.of("qr", "qr:qr1:1")));

            HttpResponse<byte[]> png = api.getBytes("/sessions/qr1/qr", "image/png");
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');
            HttpResponse<byte[]> json = api.getBytes("/sessions/qr1/qr", "application/json");
            assertThat(Api.json(json)).containsEntry("qr", "qr:qr1:1");

            engine.latest("qr1").qr("qr:qr1:rotated");
            assertThat(Api.json(api.get("/sessions/qr1"))).containsEntry("qr", "qr:qr1:rotated");
        }
    }

    @Test
    void phoneGivesAPairingCodeAndNoQrImage() {
        HttpResponse<String> response = api.putJson("/sessions/pair1", "{\"phone\":\"51987654321\"}");

        assertThat(Api.json(response)).containsEntry("pairingCode", "PAIR-1").containsEntry("qr", null);
        assertThat(engine.latest("pair1")).isNotNull();
        assertThat(engine.starts("pair1").getFirst().request().phone()).hasValue("51987654321");
        assertThat(api.getBytes("/sessions/pair1/qr", "image/png").statusCode()).isEqualTo(404);
        assertThat(Api.json(api.getBytes("/sessions/pair1/qr", "application/json")))
                .containsEntry("pairingCode", "PAIR-1");
    }

    @Test
    void openMakesTheSessionReadyAndClearsTheQr() {
        api.put("/sessions/open1");
        try (EventRecorder events = new EventRecorder(bus, "open1")) {
            engine.latest("open1").open("51987654321@s.whatsapp.net");

            EventRecorder.Event status = events.await(EventType.STATUS, WAIT);
            assertThat(status.data())
                    .containsEntry("status", "open")
                    .containsEntry("jid", "51987654321@s.whatsapp.net");
        }
        assertThat(Api.json(api.get("/sessions/open1")))
                .containsEntry("status", "ready")
                .containsEntry("connection", "open")
                .containsEntry("qr", null);
        assertThat(api.getBytes("/sessions/open1/qr", "image/png").statusCode()).isEqualTo(404);
        // A PUT on an open session answers at once with its state and opens nothing new.
        assertThat(Api.json(api.put("/sessions/open1"))).containsEntry("status", "ready");
        assertThat(engine.starts("open1")).hasSize(1);
    }

    @Test
    void messagesAreRelayed() {
        api.put("/sessions/msg1");
        try (EventRecorder events = new EventRecorder(bus, "msg1")) {
            engine.latest("msg1").message(Map.of("from", "51999999999@s.whatsapp.net", "text", "hi"));

            assertThat(events.await(EventType.MESSAGE, WAIT).data()).containsEntry("text", "hi");
        }
    }

    @Test
    void restartRequiredRecreatesTheSocketAtOnceWithTheSameCredentials(CapturedOutput output) {
        api.put("/sessions/r515");
        ScriptedEngine.Start first = engine.awaitStart("r515", 1, WAIT);
        String credentials = new String(readCreds("r515"));

        first.socket().drop(DisconnectReason.RESTART_REQUIRED);

        ScriptedEngine.Start second = engine.awaitStart("r515", 2, WAIT);
        assertThat(second.credentials()).hasValue(credentials);
        assertThat(new String(readCreds("r515"))).isEqualTo(credentials);
        assertThat(output.getOut()).containsPattern("\\[r515\\] .*Restart required; recreating socket");
        second.socket().open("51911111111@s.whatsapp.net");
        assertThat(Api.json(api.get("/sessions/r515"))).containsEntry("status", "ready");
    }

    @Test
    void loggedOutPurgesTheFolderAndEmitsRemoved() {
        api.put("/sessions/r401");
        assertThat(sessionDir("r401").resolve("creds/creds")).exists();
        try (EventRecorder events = new EventRecorder(bus, "r401")) {
            engine.latest("r401").drop(DisconnectReason.LOGGED_OUT);

            assertThat(events.await(EventType.REMOVED, WAIT).data())
                    .containsEntry("reason", "logged_out")
                    .containsEntry("code", 401);
        }
        assertThat(sessionDir("r401")).doesNotExist();
        assertThat(Api.json(api.get("/sessions/r401"))).containsEntry("status", "removed");
        assertNoFurtherStart("r401", 1);
    }

    @ParameterizedTest
    @EnumSource(
            value = DisconnectReason.class,
            names = {
                "REPLACED",
                "TEMPORARILY_BANNED",
                "CLIENT_OUTDATED",
                "USER_AGENT_REJECTED",
                "CONNECT_FAILURE",
                "PAIRING_FAILED",
                "QR_REFS_EXHAUSTED",
                "BAD_CERTIFICATE"
            })
    void stoppingReasonsCloseWithReasonKeepCredentialsAndNeverReconnect(DisconnectReason reason) {
        String id = "stop-" + reason.name().toLowerCase();
        api.put("/sessions/" + id);
        try (EventRecorder events = new EventRecorder(bus, id)) {
            engine.latest(id).drop(reason);

            assertThat(events.await(EventType.CLOSED, WAIT).data())
                    .containsEntry("reason", reason.wireName())
                    .containsEntry("code", reason.code());
        }
        assertThat(Api.json(api.get("/sessions/" + id)))
                .containsEntry("status", "closed")
                .containsEntry("reason", reason.wireName());
        assertThat(sessionDir(id).resolve("creds/creds")).exists();
        assertThat(readStateFile(id)).contains("\"desiredRunning\":false");
        assertNoFurtherStart(id, 1);
    }

    @Test
    void transientDropsReconnectWithGrowingJitteredBackoffUnderTheCap() {
        String id = "flaky1";
        api.put("/sessions/" + id);
        List<Long> delays = new ArrayList<>();
        int drops = 8;
        try (EventRecorder events = new EventRecorder(bus, id)) {
            for (int attempt = 1; attempt <= drops; attempt++) {
                engine.awaitStart(id, attempt, WAIT).socket().drop(DisconnectReason.CONNECTION_CLOSED);
                int expected = attempt;
                EventRecorder.Event status = events.await(
                        EventType.STATUS,
                        e -> "reconnecting".equals(e.data().get("status"))
                                && e.data().get("attempt").equals(expected),
                        WAIT);
                assertThat(status.data()).containsEntry("reason", "connection_closed");
                delays.add(((Number) status.data().get("delayMs")).longValue());
            }
            engine.awaitStart(id, drops + 1, WAIT).socket().open(null);
            events.await(EventType.STATUS, e -> "open".equals(e.data().get("status")), WAIT);
        }
        assertThat(engine.starts(id))
                .as("scheduled reconnects run with the session id in the MDC")
                .extracting(ScriptedEngine.Start::mdcSessionId)
                .containsOnly(id);
        Backoff bounds = new Backoff(properties.backoffBase(), properties.backoffCap(), null);
        long base = properties.backoffBase().toMillis();
        long cap = properties.backoffCap().toMillis();
        for (int i = 0; i < delays.size(); i++) {
            assertThat(delays.get(i)).as("delay of attempt %d", i + 1).isBetween(base / 2, bounds.ceiling(i + 1));
        }
        assertThat(delays).allMatch(d -> d <= cap);
        assertThat(bounds.ceiling(1)).isLessThan(bounds.ceiling(2));
        assertThat(bounds.ceiling(drops)).isEqualTo(cap);
        // Jitter: the delays are not a fixed schedule.
        assertThat(new HashSet<>(delays)).hasSizeGreaterThan(2);
        // After a successful open the attempt counter starts over.
        assertThat(Api.json(api.get("/sessions/" + id))).containsEntry("status", "ready");
    }

    @Test
    void closeKeepsCredentialsDetachesTheSocketAndDoesNotReconnect() {
        api.put("/sessions/close1");
        ScriptedEngine.Socket socket = engine.latest("close1");
        try (EventRecorder events = new EventRecorder(bus, "close1")) {
            HttpResponse<String> response = api.delete("/sessions/close1");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Api.json(response)).containsEntry("status", "closed").containsEntry("connection", "close");
            assertThat(events.await(EventType.CLOSED, WAIT).data()).containsEntry("reason", "user");
            // The socket reported USER_CLOSED while closing; the detached listener ignored it.
            assertThat(events.all()).hasSize(1);
        }
        assertThat(socket.isClosed()).isTrue();
        assertThat(socket.isLoggedOut()).isFalse();
        assertThat(sessionDir("close1").resolve("creds/creds")).exists();
        assertThat(readStateFile("close1")).contains("\"desiredRunning\":false");
        // Late events from the closed socket change nothing.
        socket.qr("late");
        assertThat(Api.json(api.get("/sessions/close1")))
                .containsEntry("status", "closed")
                .containsEntry("qr", null);
        assertNoFurtherStart("close1", 1);

        // Starting again reuses the kept credentials.
        api.put("/sessions/close1");
        assertThat(engine.awaitStart("close1", 2, WAIT).credentials()).isPresent();
    }

    @Test
    void deleteStorageLogsOutPurgesAndReportsRemoved() {
        api.put("/sessions/purge1");
        ScriptedEngine.Socket socket = engine.latest("purge1");
        try (EventRecorder events = new EventRecorder(bus, "purge1")) {
            HttpResponse<String> response = api.delete("/sessions/purge1/storage");

            assertThat(Api.json(response)).containsEntry("status", "removed");
            assertThat(events.await(EventType.REMOVED, WAIT).data()).containsEntry("reason", "user");
        }
        assertThat(socket.isLoggedOut()).isTrue();
        assertThat(sessionDir("purge1")).doesNotExist();
        assertNoFurtherStart("purge1", 1);
    }

    @Test
    void anEngineThatCannotStartGivesA502AndAClosedSession() {
        engine.failToStart("broken1");
        try (EventRecorder events = new EventRecorder(bus, "broken1")) {
            HttpResponse<String> response = api.put("/sessions/broken1");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat((String) Api.json(response).get("detail"))
                    .contains("could not start the session: scripted failure");
            assertThat(events.await(EventType.CLOSED, WAIT).data()).containsEntry("reason", "start_failed");
        }
        assertThat(Api.json(api.get("/sessions/broken1")))
                .containsEntry("status", "closed")
                .containsEntry("reason", "start_failed");
        assertThat(readStateFile("broken1")).contains("\"desiredRunning\":true");

        // Closing it stops the restore on the next boot.
        assertThat(Api.json(api.delete("/sessions/broken1"))).containsEntry("status", "closed");
        assertThat(readStateFile("broken1")).contains("\"desiredRunning\":false");
    }

    @Test
    void fiftyConcurrentPutsOpenExactlyOneSocket() throws Exception {
        int clients = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            calls.add(() -> {
                go.await();
                return api.put("/sessions/race1");
            });
        }
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (Callable<HttpResponse<String>> call : calls) {
                futures.add(pool.submit(call));
            }
            go.countDown();
            Set<Object> qrs = new HashSet<>();
            for (Future<HttpResponse<String>> future : futures) {
                HttpResponse<String> response = future.get();
                assertThat(response.statusCode()).isEqualTo(200);
                qrs.add(Api.json(response).get("qr"));
            }
            assertThat(qrs).containsExactly("qr:race1:1");
        }
        assertThat(engine.starts("race1")).hasSize(1);
        try (EventRecorder events = new EventRecorder(bus, "race1")) {
            engine.latest("race1").qr("qr:race1:again");
            events.await(EventType.QR, WAIT);
            assertThat(events.of(EventType.QR)).as("one set of listeners").hasSize(1);
        }
    }

    @Test
    void putWaitsForAQrAtMostTheStartWait() {
        engine.stayQuiet("quiet1");
        long started = System.nanoTime();
        HttpResponse<String> response = api.put("/sessions/quiet1");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(Api.json(response)).containsEntry("status", "starting").containsEntry("qr", null);
        assertThat(took)
                .isBetween(
                        properties.startWait().minusMillis(100),
                        properties.startWait().plusSeconds(2));
        api.delete("/sessions/quiet1");
    }

    private void assertNoFurtherStart(String id, int starts) {
        // Several backoff periods pass without a new socket.
        Duration periods = properties.backoffCap().multipliedBy(2);
        Awaitility.await()
                .during(periods)
                .atMost(periods.plusSeconds(2))
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(engine.starts(id)).hasSize(starts));
    }

    private Path sessionDir(String id) {
        return storage.root().resolve("sessions").resolve(id);
    }

    private byte[] readCreds(String id) {
        try {
            return Files.readAllBytes(sessionDir(id).resolve("creds/creds"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private String readStateFile(String id) {
        try {
            return Files.readString(sessionDir(id).resolve("session.json"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
