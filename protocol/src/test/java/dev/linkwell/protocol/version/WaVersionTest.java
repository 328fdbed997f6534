package dev.linkwell.protocol.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.proto.ClientPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WaVersionTest {

    @Test
    void parsesAndPrintsTheDottedForm() {
        WaVersion v = WaVersion.parse("2.3000.1045649367");
        assertThat(v).isEqualTo(new WaVersion(2, 3000, 1045649367));
        assertThat(v.toString()).isEqualTo("2.3000.1045649367");
        assertThat(v.parts()).containsExactly(2, 3000, 1045649367);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "2.3000",
                "2.3000.1.4",
                "v2.3000.1",
                " 2.3000.1",
                "2.3000.1 ",
                "2.3000.-1",
                "2..1",
                "2.3000.abc",
                "2.3000.99999999999",
                "2.3000.2147483648"
            })
    void refusesAnythingElseSayingWhatIsExpected(String text) {
        assertThatThrownBy(() -> WaVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void ordersPartByPart() {
        WaVersion baileys6 = WaVersion.parse("2.3000.1019707846");
        WaVersion whatsmeow = WaVersion.parse("2.3000.1045649367");
        assertThat(baileys6.isOlderThan(whatsmeow)).isTrue();
        assertThat(whatsmeow.isOlderThan(baileys6)).isFalse();
        assertThat(whatsmeow.isOlderThan(whatsmeow)).isFalse();
        assertThat(WaVersion.parse("2.2999.2000000000").isOlderThan(WaVersion.parse("2.3000.1")))
                .isTrue();
        assertThat(WaVersion.parse("3.0.0").compareTo(WaVersion.parse("2.3000.1045649367")))
                .isPositive();
    }

    @Test
    void readsTheVersionAClientPayloadReports() {
        ClientPayload withVersion = ClientPayload.newBuilder()
                .setUserAgent(ClientPayload.UserAgent.newBuilder()
                        .setAppVersion(ClientPayload.UserAgent.AppVersion.newBuilder()
                                .setPrimary(2)
                                .setSecondary(3000)
                                .setTertiary(1043857760)))
                .build();
        assertThat(WaVersion.of(withVersion)).isEqualTo(WaVersion.parse("2.3000.1043857760"));
        assertThat(WaVersion.of(ClientPayload.getDefaultInstance())).isEqualTo(new WaVersion(0, 0, 0));
        ClientPayload huge = ClientPayload.newBuilder()
                .setUserAgent(ClientPayload.UserAgent.newBuilder()
                        .setAppVersion(ClientPayload.UserAgent.AppVersion.newBuilder()
                                .setPrimary(2)
                                .setTertiary(-1)))
                .build();
        assertThat(WaVersion.of(huge).tertiary()).isEqualTo(Integer.MAX_VALUE);
    }
}
