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
}
