package dev.linkwell.bench.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SideBySideOptionsTest {

    @Test
    void serviceEnvIsNamedSettingsSeparatedByCommas() {
        SideBySideOptions o = SideBySideOptions.parse(
                new String[] {"--service-env", "BAILEYS_MAX_HEAP=8GB, LINKWELL_EVENTS_BUFFERSIZE=100"});
        assertThat(o.serviceEnv())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("BAILEYS_MAX_HEAP", "8GB", "LINKWELL_EVENTS_BUFFERSIZE", "100"));
        assertThat(SideBySideOptions.parse(new String[0]).serviceEnv()).isEmpty();
    }

    @Test
    void aSettingWithoutANameIsRefusedWithWhatWasGiven() {
        assertThatThrownBy(() -> SideBySideOptions.parse(new String[] {"--service-env", "BAILEYS_MAX_HEAP=8GB,8GB"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--service-env takes NAME=VALUE pairs separated by commas, got 8GB");
        assertThatThrownBy(() -> SideBySideOptions.parse(new String[] {"--service-env", "lower=case"}))
                .hasMessageContaining("got lower=case");
    }

    @Test
    void theSmokeRunKeepsTheServiceEnv() {
        SideBySideOptions o =
                SideBySideOptions.parse(new String[] {"--service-env", "BAILEYS_MAX_HEAP=1GB", "--smoke"});
        assertThat(o.serviceEnv()).containsEntry("BAILEYS_MAX_HEAP", "1GB");
        assertThat(o.sizes()).containsExactly(0, 2);
    }

    @Test
    void theServiceCanHaveCoresOfItsOwnAndTheSimulatorRunInTheHarness() {
        SideBySideOptions o =
                SideBySideOptions.parse(new String[] {"--service-cpus", "1", "--simulator", "in-process"});
        assertThat(o.placement()).isEqualTo(new SideBySideOptions.Placement("1", true));
        assertThat(SideBySideOptions.parse(new String[] {"--service-cpus", "0,2-3"})
                        .placement())
                .isEqualTo(new SideBySideOptions.Placement("0,2-3", false));
        assertThat(SideBySideOptions.parse(new String[0]).placement())
                .as("by default every process may use every core, and the simulator is a JVM of its own")
                .isEqualTo(new SideBySideOptions.Placement(null, false));
    }

    @Test
    void aCoreListTasksetWouldNotTakeIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> SideBySideOptions.parse(new String[] {"--service-cpus", "1; rm -rf /"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--service-cpus takes a CPU list as taskset does (1, or 0,2-3), got 1; rm -rf /");
        assertThatThrownBy(() -> SideBySideOptions.parse(new String[] {"--service-cpus", "-1"}))
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> SideBySideOptions.parse(new String[] {"--simulator", "docker"}))
                .hasMessage("--simulator is child or in-process, got docker");
    }
}
