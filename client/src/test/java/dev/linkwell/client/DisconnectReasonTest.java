package dev.linkwell.client;

import static dev.linkwell.client.DisconnectReason.Action.PURGE;
import static dev.linkwell.client.DisconnectReason.Action.RECONNECT_NOW;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisconnectReasonTest {

    /** The failure table of issue 8, row by row (whatsmeow connectionevents.go handleConnectFailure). */
    @ParameterizedTest
    @CsvSource({
        "401, LOGGED_OUT, PURGE",
        "403, LOGGED_OUT, PURGE",
        "406, LOGGED_OUT, PURGE",
        "402, TEMPORARILY_BANNED, STOP",
        "405, CLIENT_OUTDATED, STOP",
        "409, USER_AGENT_REJECTED, STOP",
        "500, SERVER_ERROR, RECONNECT_WITH_BACKOFF",
        "503, UNAVAILABLE, RECONNECT_WITH_BACKOFF",
        "400, CONNECT_FAILURE, STOP",
        "413, CONNECT_FAILURE, STOP",
        "418, CONNECT_FAILURE, STOP",
        "501, CONNECT_FAILURE, STOP",
        "999, CONNECT_FAILURE, STOP",
    })
    void failureTable(int reason, DisconnectReason expected, DisconnectReason.Action action) {
        assertThat(DisconnectReason.forFailure(reason)).isEqualTo(expected);
        assertThat(expected.action()).isEqualTo(action);
    }

    @ParameterizedTest
    @CsvSource({
        "515, RESTART_REQUIRED, RECONNECT_NOW",
        "401, LOGGED_OUT, PURGE",
        "440, REPLACED, STOP",
        "408, TIMED_OUT, RECONNECT_WITH_BACKOFF",
        "428, CONNECTION_CLOSED, RECONNECT_WITH_BACKOFF",
        "500, SERVER_ERROR, RECONNECT_WITH_BACKOFF",
        "503, UNAVAILABLE, RECONNECT_WITH_BACKOFF",
        "403, UNKNOWN, RECONNECT_WITH_BACKOFF",
        "999, UNKNOWN, RECONNECT_WITH_BACKOFF",
    })
    void streamErrorTable(int code, DisconnectReason expected, DisconnectReason.Action action) {
        assertThat(DisconnectReason.forStreamError(code)).isEqualTo(expected);
        assertThat(expected.action()).isEqualTo(action);
    }

    @Test
    void exhaustedQrRefsStopInsteadOfLooping() {
        assertThat(DisconnectReason.QR_REFS_EXHAUSTED.code()).isEqualTo(408);
        assertThat(DisconnectReason.QR_REFS_EXHAUSTED.action()).isEqualTo(DisconnectReason.Action.STOP);
    }

    @Test
    void onlyRestartRequiredReconnectsAtOnceAndOnlyLoggedOutPurges() {
        for (DisconnectReason reason : DisconnectReason.values()) {
            assertThat(reason.action() == RECONNECT_NOW).isEqualTo(reason == DisconnectReason.RESTART_REQUIRED);
            assertThat(reason.action() == PURGE).isEqualTo(reason == DisconnectReason.LOGGED_OUT);
        }
        assertThat(DisconnectReason.LOGGED_OUT.wireName()).isEqualTo("logged_out");
        assertThat(DisconnectReason.TEMPORARILY_BANNED.wireName()).isEqualTo("temporarily_banned");
        assertThat(DisconnectReason.CLIENT_OUTDATED.wireName()).isEqualTo("client_outdated");
        assertThat(DisconnectReason.USER_AGENT_REJECTED.wireName()).isEqualTo("user_agent_rejected");
        assertThat(DisconnectReason.CONNECT_FAILURE.wireName()).isEqualTo("connect_failure");
    }
}
