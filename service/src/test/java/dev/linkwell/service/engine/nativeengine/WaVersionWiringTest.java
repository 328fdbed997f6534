package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.client.version.ResolvedVersion;
import dev.linkwell.client.version.WaVersionResolver;
import dev.linkwell.protocol.version.WaVersion;
import dev.linkwell.service.support.ServiceWorkerServer;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the service's WhatsApp Web version comes from, end to end: what the engine sends is what the simulator sees. */
class WaVersionWiringTest {

    private static final int REVISION = 1071234567;
    private static final WaVersion FETCHED = new WaVersion(2, 3000, REVISION);

    private final Path root = TestStorage.tempRoot("version-");

    private Map<String, Object> aimedAt(WaSimulator sim, ServiceWorkerServer sw) {
        Map<String, Object> props = RunningService.defaults(root);
        props.put("linkwell.simulator.mode", "off");
        props.put("linkwell.native.url", sim.webSocketUrl());
        props.put("linkwell.native.trust-anchor", sim.trustAnchor().hex());
        props.put("linkwell.native.version-url", sw.url());
        return props;
    }

    @Test
    void theFetchedVersionIsSentAndCachedSoTheNextStartFetchesNothing() throws Exception {
        // a simulator that refuses the built-in version: only the fetched one gets a QR
        assertThat(WaVersionResolver.BUILT_IN.isOlderThan(FETCHED)).isTrue();
        try (ServiceWorkerServer sw = new ServiceWorkerServer(REVISION);
                WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults().withMinVersion(FETCHED))) {
            try (RunningService svc = RunningService.start(aimedAt(sim, sw))) {
                ResolvedVersion v = svc.bean(ResolvedVersion.class);
                assertThat(v.source()).isEqualTo(ResolvedVersion.Source.FETCHED);
                assertThat(v.version()).isEqualTo(FETCHED);
                svc.api.put("/sessions/fetched");
                assertThat(svc.awaitQr("fetched").get("qr")).isNotNull();
            }
            Path cache = root.resolve("wa-version");
            assertThat(Files.readString(cache)).contains("version=" + FETCHED, "url=" + sw.url());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                    .isEqualTo("rw-------");
            assertThat(sw.requests()).isEqualTo(1);

            sw.status(500);
            try (RunningService svc = RunningService.start(aimedAt(sim, sw))) {
                ResolvedVersion v = svc.bean(ResolvedVersion.class);
                assertThat(v.source()).isEqualTo(ResolvedVersion.Source.CACHE);
                assertThat(v.version()).isEqualTo(FETCHED);
                svc.api.put("/sessions/cached");
                assertThat(svc.awaitQr("cached").get("qr")).isNotNull();
            }
            assertThat(sw.requests()).isEqualTo(1);
            assertThat(sim.events()).noneMatch(e -> e.type().equals("version-refused"));
        }
    }

    @Test
    void aFailedFetchFallsBackToTheBuiltInVersionWhichTheSimulatorThenRefuses() {
        try (ServiceWorkerServer sw = new ServiceWorkerServer(REVISION);
                WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults().withMinVersion(FETCHED))) {
            sw.status(503);
            Map<String, Object> props = aimedAt(sim, sw);
            props.put("linkwell.sessions.start-wait", "1s"); // no QR comes: the PUT answers after the start wait
            try (RunningService svc = RunningService.start(props)) {
                ResolvedVersion v = svc.bean(ResolvedVersion.class);
                assertThat(v.source()).isEqualTo(ResolvedVersion.Source.BUILT_IN);
                assertThat(v.detail()).isEqualTo("built-in; fetching " + sw.url() + " failed: HTTP 503");
                svc.api.put("/sessions/stale");
                sim.awaitEvent(e -> e.type().equals("version-refused"), RunningService.WAIT);
            }
            assertThat(root.resolve("wa-version")).doesNotExist();
        }
    }

    @Test
    void aConfiguredVersionWinsAndNothingIsFetched() {
        try (ServiceWorkerServer sw = new ServiceWorkerServer(REVISION);
                WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
            Map<String, Object> props = aimedAt(sim, sw);
            props.put("linkwell.native.version", " 2.3000.1050000000 ");
            try (RunningService svc = RunningService.start(props)) {
                ResolvedVersion v = svc.bean(ResolvedVersion.class);
                assertThat(v.source()).isEqualTo(ResolvedVersion.Source.CONFIGURED);
                assertThat(v.version()).isEqualTo(WaVersion.parse("2.3000.1050000000"));
                assertThat(svc.bean(NativeEngine.class).config().versionString())
                        .isEqualTo("2.3000.1050000000");
            }
            assertThat(sw.requests()).isZero();
        }
    }

    @Test
    void demoModeUsesTheBuiltInVersionAndFetchesNothing() {
        try (ServiceWorkerServer sw = new ServiceWorkerServer(REVISION)) {
            Map<String, Object> props = RunningService.defaults(root);
            props.put("linkwell.native.version-url", sw.url());
            try (RunningService svc = RunningService.start(props)) {
                ResolvedVersion v = svc.bean(ResolvedVersion.class);
                assertThat(v.source()).isEqualTo(ResolvedVersion.Source.BUILT_IN);
                assertThat(v.version()).isEqualTo(WaVersionResolver.BUILT_IN);
                assertThat(v.detail()).contains("demo mode");
                svc.api.put("/sessions/demo");
                assertThat(svc.awaitQr("demo").get("qr")).isNotNull();
            }
            assertThat(sw.requests()).isZero();
            assertThat(root.resolve("wa-version")).doesNotExist();
        }
    }

    @Test
    void badSettingsStopTheStartNamingTheVariable() {
        Map<String, Object> badVersion = RunningService.defaults(root);
        badVersion.put("linkwell.native.version", "2.3000");
        assertThatThrownBy(() -> RunningService.start(badVersion))
                .hasStackTraceContaining("linkwell.native.version (env WA_VERSION): '2.3000' is not a version");

        Map<String, Object> badUrl = RunningService.defaults(root);
        badUrl.put("linkwell.native.version-url", "ftp://example.org/sw.js");
        assertThatThrownBy(() -> RunningService.start(badUrl))
                .hasStackTraceContaining("(env WA_VERSION_URL) must be an http(s) URL")
                .hasStackTraceContaining("'ftp://example.org/sw.js'");

        Map<String, Object> badTimeout = RunningService.defaults(root);
        badTimeout.put("linkwell.native.version-fetch-timeout", "0s");
        assertThatThrownBy(() -> RunningService.start(badTimeout))
                .hasStackTraceContaining("linkwell.native.version-fetch-timeout must be a positive duration");

        Map<String, Object> badMin = RunningService.defaults(root);
        badMin.put("linkwell.simulator.min-version", "latest");
        assertThatThrownBy(() -> RunningService.start(badMin))
                .hasStackTraceContaining("(env LINKWELL_SIMULATOR_MINVERSION): 'latest' is not a version");
    }

    @Test
    void theEmbeddedSimulatorTakesItsMinimumVersionFromTheConfiguration() {
        Map<String, Object> props = RunningService.defaults(root);
        props.put("linkwell.simulator.min-version", "2.3000.1099999999");
        props.put("linkwell.sessions.start-wait", "1s"); // no QR comes: the PUT answers after the start wait
        try (RunningService svc = RunningService.start(props)) {
            assertThat(svc.simulator().config().minVersion()).isEqualTo(WaVersion.parse("2.3000.1099999999"));
            svc.api.put("/sessions/outdated");
            svc.simulator().awaitEvent(e -> e.type().equals("version-refused"), RunningService.WAIT);
        }
    }
}
