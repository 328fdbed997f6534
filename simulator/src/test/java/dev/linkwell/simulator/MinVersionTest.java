package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.version.WaVersion;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The minimum client version: an older ClientPayload gets {@code <failure reason="405"/>} before anything else. */
class MinVersionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final WaVersion BAILEYS_6 = WaVersion.parse("2.3000.1019707846");

    private WaSimulator sim;

    @RegisterExtension
    final SimulatorExtension simulators = SimulatorExtension.onDemand();

    @Test
    void byDefaultRefusesTheVersionWhatsAppRefusedAndServesTodaysReferences() throws Exception {
        sim = simulators.start(SimulatorConfig.defaults());
        assertThat(sim.config().minVersion()).isEqualTo(SimulatorConfig.DEFAULT_MIN_VERSION);
        assertThat(BAILEYS_6.isOlderThan(sim.config().minVersion())).isTrue();

        try (RawClient stale = RawClient.register(sim, BAILEYS_6)) {
            Node failure = stale.next("failure", WAIT);
            assertThat(failure.attr("reason")).isEqualTo("405");
            assertThat(stale.awaitClosed(WAIT)).isTrue();
        }
        SimulatorEvent refused = sim.awaitEvent(e -> e.type().equals("version-refused"), WAIT);
        assertThat(refused.detail()).isEqualTo("2.3000.1019707846 is older than the minimum 2.3000.1043857760");
        assertThat(sim.events()).noneMatch(e -> e.type().equals("pairing"));

        for (String current : new String[] {"2.3000.1043857760", "2.3000.1045649367"}) {
            try (RawClient c = RawClient.register(sim, WaVersion.parse(current))) {
                assertThat(c.takeRefs(WAIT)).as(current).hasSize(sim.config().qrRefCount());
            }
        }
    }

    @Test
    void aConfiguredMinimumIsInclusiveAndRefusesOlderOnes() throws Exception {
        WaVersion min = WaVersion.parse("2.3000.1050000000");
        sim = simulators.start(SimulatorConfig.defaults().withMinVersion(min));

        try (RawClient exact = RawClient.register(sim, min)) {
            assertThat(exact.takeRefs(WAIT)).isNotEmpty();
        }
        try (RawClient newer = RawClient.register(sim, WaVersion.parse("2.3001.0"))) {
            assertThat(newer.takeRefs(WAIT)).isNotEmpty();
        }
        try (RawClient older = RawClient.register(sim, WaVersion.parse("2.3000.1049999999"))) {
            assertThat(older.next("failure", WAIT).attr("reason")).isEqualTo("405");
            assertThat(older.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.events())
                .filteredOn(e -> e.type().equals("version-refused"))
                .hasSize(1);
    }

    @Test
    void aLoginWithAnOldVersionIsRefusedBeforeTheDeviceIsLookedAt() throws Exception {
        sim = simulators.start(SimulatorConfig.defaults());
        // the device does not exist: a 401 would come from the login check, the 405 comes first
        ClientPayload login = ClientPayload.newBuilder()
                .setUsername(51987654321L)
                .setDevice(1)
                .setPassive(true)
                .setPull(true)
                .setUserAgent(RawClient.userAgent(BAILEYS_6))
                .build();
        try (RawClient c = RawClient.connect(sim, login)) {
            assertThat(c.next("failure", WAIT).attr("reason")).isEqualTo("405");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        sim.awaitEvent(e -> e.type().equals("version-refused"), WAIT);
        assertThat(sim.events())
                .noneMatch(e -> e.type().equals("login-rejected") || e.type().equals("logged-in"));

        // the same login with no version at all reads as 0.0.0
        ClientPayload noAgent = login.toBuilder().clearUserAgent().build();
        try (RawClient c = RawClient.connect(sim, noAgent)) {
            assertThat(c.next("failure", WAIT).attr("reason")).isEqualTo("405");
        }
        assertThat(sim.events())
                .anyMatch(e -> e.type().equals("version-refused") && e.detail().startsWith("0.0.0 is older"));
    }
}
