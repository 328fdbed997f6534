package dev.linkwell.client;

import static dev.linkwell.client.DisconnectReason.Action.PURGE;
import static dev.linkwell.client.DisconnectReason.Action.RECONNECT_NOW;
import static dev.linkwell.client.DisconnectReason.Action.RECONNECT_WITH_BACKOFF;
import static dev.linkwell.client.DisconnectReason.Action.STOP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisconnectReasonTest {

    @ParameterizedTest
    @CsvSource({
        "515, RESTART_REQUIRED, RECONNECT_NOW",
        "401, LOGGED_OUT, PURGE",
        "440, REPLACED, STOP",
        "403, FORBIDDEN, STOP",
        "402, BANNED, STOP",
        "408, TIMED_OUT, RECONNECT_WITH_BACKOFF",
        "428, CONNECTION_CLOSED, RECONNECT_WITH_BACKOFF",
        "500, SERVER_ERROR, RECONNECT_WITH_BACKOFF",
        "503, UNAVAILABLE, RECONNECT_WITH_BACKOFF",
        "495, BAD_CERTIFICATE, STOP",
        "1000, USER_CLOSED, STOP",
        "999, UNKNOWN, RECONNECT_WITH_BACKOFF",
    })
    void mapsServerCodesToReasonAndAction(int code, DisconnectReason reason, DisconnectReason.Action action) {
        assertThat(DisconnectReason.fromCode(code)).isEqualTo(reason);
        assertThat(reason.action()).isEqualTo(action);
    }

    @Test
    void exhaustedQrRefsStopInsteadOfLooping() {
        assertThat(DisconnectReason.QR_REFS_EXHAUSTED.code()).isEqualTo(408);
        assertThat(DisconnectReason.QR_REFS_EXHAUSTED.action()).isEqualTo(STOP);
    }

    @Test
    void onlyRestartRequiredReconnectsAtOnceAndOnlyLoggedOutPurges() {
        for (DisconnectReason reason : DisconnectReason.values()) {
            assertThat(reason.action() == RECONNECT_NOW).isEqualTo(reason == DisconnectReason.RESTART_REQUIRED);
            assertThat(reason.action() == PURGE).isEqualTo(reason == DisconnectReason.LOGGED_OUT);
        }
        assertThat(DisconnectReason.LOGGED_OUT.wireName()).isEqualTo("logged_out");
    }
}
