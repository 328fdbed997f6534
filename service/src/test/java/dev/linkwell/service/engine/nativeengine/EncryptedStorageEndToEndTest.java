package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.storage.TestKeys;
import dev.linkwell.service.storage.crypto.Envelope;
import dev.linkwell.service.storage.crypto.StorageKey;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.PostgresServer;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.service.support.WebhookReceiver;
import dev.linkwell.simulator.SimulatorEvent;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Service + native engine + simulator with credentials sealed by {@code STORAGE_KEY}, on each backend: a
 * device links by QR, everything the engine stored is sealed on disk or in the database, a restart with the
 * key comes back without a QR, and a restart without the key (or with another one) is refused and changes
 * nothing. On PostgreSQL also: the session row, the webhook outbox and the event log (with the bus's ids).
 */
class EncryptedStorageEndToEndTest {

    private static final String KEY_ID = StorageKey.parse(TestKeys.FIRST, "k").id();

    @Test
    void onFilesTheEngineWritesOnlySealedRecordsAndAMissingKeyStopsTheStart() throws Exception {
        Path root = TestStorage.tempRoot("linkwell-sealed-files");
        Map<String, Object> settings = RunningService.defaults(root);
        settings.put("linkwell.storage.key", TestKeys.FIRST);
        String jid;
        try (RunningService svc = RunningService.start(settings)) {
            jid = svc.pairByQr("sealed", "5511900000031");
        }
        List<Path> blobs;
        try (Stream<Path> files = Files.list(root.resolve("sessions/sealed/creds"))) {
            blobs = files.filter(Files::isRegularFile).toList();
        }
        assertThat(blobs).extracting(p -> p.getFileName().toString()).contains("creds", "pre-keys");
        for (Path blob : blobs) {
            assertThat(Envelope.keyId(Files.readAllBytes(blob)))
                    .as(blob.toString())
                    .hasValue(KEY_ID);
        }
        Map<String, String> sealed = TestStorage.snapshot(root.resolve("sessions"));

        Map<String, Object> noKey = RunningService.defaults(root);
        assertThatThrownBy(() -> RunningService.start(noKey).close())
                .rootCause()
                .hasMessageContaining("encrypted with key id " + KEY_ID)
                .hasMessageContaining("no STORAGE_KEY");
        Map<String, Object> otherKey = RunningService.defaults(root);
        otherKey.put("linkwell.storage.key", TestKeys.SECOND);
        assertThatThrownBy(() -> RunningService.start(otherKey).close())
                .rootCause()
                .hasMessageContaining("wrong STORAGE_KEY?");
        assertThat(TestStorage.snapshot(root.resolve("sessions"))).isEqualTo(sealed);

        try (RunningService svc = RunningService.start(settings)) {
            Map<String, Object> view = svc.awaitStatus("sealed", "ready");
            assertThat(view.get("qr")).isNull();
            svc.simulator().awaitConnected(jid, RunningService.WAIT);
            assertThat(svc.simulator().events())
                    .extracting(SimulatorEvent::type)
                    .doesNotContain("pairing");
        }
    }

    @Test
    void onPostgresEverythingLivesInTheDatabaseAndARestartComesBackWithoutQr() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        Path root = TestStorage.tempRoot("linkwell-sealed-pg");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Map<String, Object> settings = postgres(root, db);
            settings.put("linkwell.storage.key", TestKeys.FIRST);
            settings.put("linkwell.webhooks.urls", receiver.url());
            String jid;
            List<String> eventIds = new ArrayList<>();
            try (RunningService svc = RunningService.start(settings);
                    EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "pg")) {
                jid = svc.pairByQr("pg", "5511900000032");
                EventRecorder.Event open = events.await(
                        EventType.STATUS, e -> "open".equals(e.data().get("status")), RunningService.WAIT);
                events.all().forEach(e -> eventIds.add(e.id()));
                receiver.await(r -> r.eventId().equals(open.id()), 1, RunningService.WAIT);
                assertThat(svc.api.get("/actuator/health/readiness").body()).contains("\"status\":\"UP\"");
            }
            assertThat(root.resolve("sessions"))
                    .as("no session folder on PostgreSQL")
                    .doesNotExist();
            try (Connection c = db.connect()) {
                List<String> keyIds =
                        strings(c, "SELECT COALESCE(key_id, 'plain') FROM credential WHERE session_id = 'pg'");
                assertThat(keyIds).hasSizeGreaterThanOrEqualTo(2).containsOnly(KEY_ID);
                try (PreparedStatement ps = c.prepareStatement("SELECT data FROM credential");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        assertThat(Envelope.keyId(rs.getBytes(1))).hasValue(KEY_ID);
                    }
                }
                assertThat(
                                strings(
                                        c,
                                        "SELECT desired_running::text || ' ' || provider FROM session_state WHERE session_id = 'pg'"))
                        .containsExactly("true native");
                assertThat(strings(c, "SELECT id::text FROM event_log WHERE session_id = 'pg' ORDER BY id"))
                        .containsAll(eventIds);
                assertThat(strings(c, "SELECT id::text FROM webhook_delivery"))
                        .as("every delivery made")
                        .isEmpty();
            }
            assertThat(receiver.received())
                    .extracting(WebhookReceiver.Received::eventId)
                    .containsAll(eventIds);

            Map<String, Object> noKey = postgres(root, db);
            assertThatThrownBy(() -> RunningService.start(noKey).close())
                    .rootCause()
                    .hasMessageContaining("encrypted with key id " + KEY_ID)
                    .hasMessageContaining("no STORAGE_KEY");

            long lastLogged;
            try (Connection c = db.connect()) {
                lastLogged = Long.parseLong(
                        strings(c, "SELECT MAX(id)::text FROM event_log").getFirst());
            }
            try (RunningService svc = RunningService.start(settings);
                    EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "pg")) {
                Map<String, Object> view = svc.awaitStatus("pg", "ready");
                assertThat(view.get("qr")).isNull();
                svc.simulator().awaitConnected(jid, RunningService.WAIT);
                assertThat(svc.simulator().events())
                        .extracting(SimulatorEvent::type)
                        .doesNotContain("pairing");
                assertThat(events.all())
                        .allSatisfy(e -> assertThat(Long.parseLong(e.id())).isGreaterThan(lastLogged));

                HttpResponse<String> removed = svc.api.delete("/sessions/pg/storage");
                assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
            }
            try (Connection c = db.connect()) {
                assertThat(strings(c, "SELECT name FROM credential")).isEmpty();
                assertThat(strings(c, "SELECT session_id FROM session_state")).isEmpty();
            }
        }
    }

    private static Map<String, Object> postgres(Path root, PostgresServer.TestDatabase db) {
        Map<String, Object> settings = RunningService.defaults(root);
        settings.put("linkwell.storage.type", "postgres");
        settings.put("linkwell.storage.database.url", db.url());
        settings.put("linkwell.storage.database.username", db.user());
        settings.put("linkwell.storage.database.password", db.password());
        return settings;
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
