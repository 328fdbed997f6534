package dev.linkwell.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.DisconnectReason;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ServiceTest;
import dev.linkwell.service.support.WebhookReceiver;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Liveness, readiness (storage and outbox) and the Prometheus series, driven through real requests. */
@ServiceTest
class OperationsEndpointsTest {

    @LocalServerPort
    int port;

    @Autowired
    ScriptedEngine engine;

    @Autowired
    StorageProperties storage;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void livenessAndReadinessWithTheStorageAndOutboxComponents() {
        assertThat(Api.json(api.get("/actuator/health/liveness"))).containsEntry("status", "UP");
        Map<String, Object> readiness = Api.json(api.get("/actuator/health/readiness"));
        assertThat(readiness).containsEntry("status", "UP");
        assertThat(readiness.get("components"))
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("storage", "outbox", "readinessState");
    }

    @Test
    void anUnwritableStorageRootMakesTheServiceNotReady() throws Exception {
        Path probeFolder = storage.root().resolve("health");
        deleteTree(probeFolder);
        Files.writeString(probeFolder, "a file where the probe folder should be");
        try {
            HttpResponse<String> readiness = api.get("/actuator/health/readiness");

            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(Api.json(readiness)).containsEntry("status", "DOWN");
            assertThat(Api.json(api.get("/actuator/health/liveness")))
                    .as("alive, just not ready")
                    .containsEntry("status", "UP");
        } finally {
            Files.delete(probeFolder);
        }
        assertThat(api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusShowsSessionEngineEventAndWebhookSeries() {
        double qrBefore = metric("linkwell_qr_issued_total{kind=\"qr\"}");
        double reconnectsBefore = metric("linkwell_session_reconnects_total{reason=\"connection_closed\"}");
        double messagesBefore = metric("linkwell_messages_in_total");
        double publishedBefore = metric("linkwell_events_published_total{type=\"session.message\"}");
        double connectsBefore = metric("linkwell_engine_connect_seconds_count{provider=\"scripted\"}");
        double deliveredBefore = metric("linkwell_webhook_deliveries_total");

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            api.putJson(
                    "/sessions/ops-m1",
                    "{\"webhooks\":[{\"url\":\"" + receiver.url() + "\",\"events\":[\"session.message\"]}]}");
            ScriptedEngine.Socket socket = engine.latest("ops-m1");
            socket.open("51987654321@s.whatsapp.net");
            socket.message(Map.of("text", "hi"));
            receiver.await(r -> true, 1, Duration.ofSeconds(10));
            socket.drop(DisconnectReason.CONNECTION_CLOSED);
            engine.awaitStart("ops-m1", 2, Duration.ofSeconds(5));
        }
        engine.stayQuiet("ops-quiet");
        api.put("/sessions/ops-quiet");
        engine.latest("ops-quiet").open("51911111111@s.whatsapp.net");

        assertThat(metric("linkwell_qr_issued_total{kind=\"qr\"}")).isGreaterThan(qrBefore);
        assertThat(metric("linkwell_session_reconnects_total{reason=\"connection_closed\"}"))
                .isEqualTo(reconnectsBefore + 1);
        assertThat(metric("linkwell_messages_in_total")).isEqualTo(messagesBefore + 1);
        assertThat(metric("linkwell_events_published_total{type=\"session.message\"}"))
                .isEqualTo(publishedBefore + 1);
        assertThat(metric("linkwell_engine_connect_seconds_count{provider=\"scripted\"}"))
                .as("only the socket that logged in without a QR")
                .isEqualTo(connectsBefore + 1);
        assertThat(metric("linkwell_webhook_deliveries_total")).isGreaterThanOrEqualTo(deliveredBefore + 1);
        String text = prometheus();
        assertThat(text)
                .contains(
                        "linkwell_engine_connect_seconds_bucket{provider=\"scripted\",le=",
                        "linkwell_sessions{status=\"ready\"}",
                        "linkwell_sessions{status=\"starting\"}",
                        "linkwell_messages_out_total",
                        "linkwell_webhook_queue_depth",
                        "linkwell_webhook_queue_age_seconds",
                        "linkwell_webhook_dead_letters_total",
                        "linkwell_webhook_dead_letters_stored",
                        "linkwell_webhook_enqueue_failures_total");
    }

    private String prometheus() {
        HttpResponse<String> response = api.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of one series; 0 when it has no sample yet. */
    private double metric(String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(prometheus());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
