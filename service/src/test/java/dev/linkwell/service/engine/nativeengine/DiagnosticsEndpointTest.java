package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.version.WaVersionResolver;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.MuteServer;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code GET /diagnostics/whatsapp} over HTTP, against the simulator and a server that never answers. */
class DiagnosticsEndpointTest {

    private final Path root = TestStorage.tempRoot("diagnostics-");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("steps");
    }

    private static Map<String, Object> step(Map<String, Object> report, String id) {
        return steps(report).stream()
                .filter(s -> id.equals(s.get("step")))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void inDemoModeItChecksTheEmbeddedSimulatorAndTakesAVersionToTry() {
        try (RunningService svc = RunningService.start(root)) {
            WaSimulator sim = svc.simulator();
            HttpResponse<String> r = svc.api.get("/diagnostics/whatsapp");

            assertThat(r.statusCode()).isEqualTo(200);
            Map<String, Object> report = Api.json(r);
            assertThat(report)
                    .containsEntry("ok", true)
                    .containsEntry("failedStep", null)
                    .containsEntry("url", sim.webSocketUrl())
                    .containsEntry("version", WaVersionResolver.BUILT_IN.toString())
                    .containsEntry("versionSource", "built-in")
                    .containsEntry("trustAnchor", sim.trustAnchor().hex())
                    .containsKeys("startedAt", "totalMillis", "versionDetail");
            assertThat(steps(report))
                    .extracting(s -> s.get("step"))
                    .containsExactly("websocket", "noise", "certificate", "version", "pair-device");
            assertThat(steps(report)).allSatisfy(s -> {
                assertThat(s.get("status")).isEqualTo("passed");
                assertThat(s.get("advice")).isNull();
                assertThat(s).containsKeys("title", "millis", "detail");
            });

            Map<String, Object> old = Api.json(svc.api.get("/diagnostics/whatsapp?version=2.3000.1019707846"));
            assertThat(old)
                    .containsEntry("ok", false)
                    .containsEntry("failedStep", "version")
                    .containsEntry("version", "2.3000.1019707846")
                    .containsEntry("versionSource", "request");
            assertThat(step(old, "version")).containsEntry("status", "failed");
            assertThat((String) step(old, "version").get("advice"))
                    .contains("(405)", "Try without the version parameter");
            assertThat(step(old, "pair-device")).containsEntry("status", "skipped");

            HttpResponse<String> bad = svc.api.get("/diagnostics/whatsapp?version=latest");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(Api.json(bad).get("detail")).asString().startsWith("version: 'latest' is not a version");

            // it linked nothing and started no session
            assertThat(sim.devices()).isEmpty();
            assertThat(svc.api.get("/sessions").body()).isEqualTo("[]");
        }
    }

    @Test
    void aWrongTrustAnchorIsReportedAtTheCertificateStep() {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
            Map<String, Object> props = RunningService.defaults(root);
            props.put("linkwell.simulator.mode", "off");
            props.put("linkwell.native.url", sim.webSocketUrl());
            props.put("linkwell.native.trust-anchor", TrustAnchor.WHATSAPP_ROOT_HEX);
            try (RunningService svc = RunningService.start(props)) {
                Map<String, Object> report = Api.json(svc.api.get("/diagnostics/whatsapp"));

                assertThat(report)
                        .containsEntry("ok", false)
                        .containsEntry("failedStep", "certificate")
                        .containsEntry("trustAnchor", TrustAnchor.WHATSAPP_ROOT_HEX);
                assertThat((String) step(report, "certificate").get("detail"))
                        .startsWith("check INTERMEDIATE_SIGNATURE failed");
                assertThat((String) step(report, "certificate").get("advice"))
                        .contains("not signed by WhatsApp's root key", "WA_TRUST_ANCHOR");
            }
        }
    }

    @Test
    void aServerThatNeverAnswersIsReportedAndASecondRunMeanwhileIsRefused() throws Exception {
        try (MuteServer mute = new MuteServer()) {
            Map<String, Object> props = RunningService.defaults(root);
            props.put("linkwell.simulator.mode", "off");
            props.put("linkwell.native.url", mute.webSocketUrl());
            props.put("linkwell.native.connect-timeout", "2s");
            try (RunningService svc = RunningService.start(props)) {
                CompletableFuture<HttpResponse<String>> first =
                        CompletableFuture.supplyAsync(() -> svc.api.get("/diagnostics/whatsapp"));
                RunningService.awaitWhile(() -> mute.accepted() == 0);
                assertThat(mute.accepted())
                        .as("the first run reached the server")
                        .isPositive();

                HttpResponse<String> second = svc.api.get("/diagnostics/whatsapp");
                assertThat(second.statusCode()).isEqualTo(429);
                assertThat(Api.json(second).get("detail")).asString().contains("already running");

                Map<String, Object> report = Api.json(first.get(30, TimeUnit.SECONDS));
                assertThat(report).containsEntry("ok", false).containsEntry("failedStep", "websocket");
                assertThat((String) step(report, "websocket").get("advice")).startsWith("Nothing answered within 2 s");
                assertThat(step(report, "noise")).containsEntry("status", "skipped");
            }
        }
    }
}
