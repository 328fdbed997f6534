package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.protocol.binary.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamErrorsTest {

    private static Node streamError(Map<String, String> attrs, Node... children) {
        return Node.withChildren("stream:error", attrs, List.of(children));
    }

    @ParameterizedTest
    @CsvSource({
        "515, RESTART_REQUIRED",
        "401, LOGGED_OUT",
        "403, UNKNOWN",
        "402, UNKNOWN",
        "440, REPLACED",
        "500, SERVER_ERROR",
        "503, UNAVAILABLE",
        "408, TIMED_OUT",
        "428, CONNECTION_CLOSED",
        "999, UNKNOWN",
        "abc, UNKNOWN"
    })
    void codeAttributeMapsToReason(String code, DisconnectReason expected) {
        Disconnect d = StreamErrors.fromStreamError(streamError(Map.of("code", code)));
        assertThat(d.reason()).isEqualTo(expected);
        assertThat(d.code()).isEqualTo(code.equals("abc") ? 0 : Integer.parseInt(code));
    }

    @Test
    void codeWinsOverConflictChild() {
        Node n = streamError(Map.of("code", "503"), Node.of("conflict", Map.of("type", "replaced")));
        assertThat(StreamErrors.fromStreamError(n).reason()).isEqualTo(DisconnectReason.UNAVAILABLE);
    }

    @Test
    void code401WithDeviceRemovedIsLoggedOut() {
        Node n = streamError(Map.of("code", "401"), Node.of("conflict", Map.of("type", "device_removed")));
        assertThat(StreamErrors.fromStreamError(n).reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
    }

    @Test
    void conflictWithoutCodeIsReplaced() {
        Node n = streamError(Map.of(), Node.of("conflict", Map.of("type", "replaced")));
        Disconnect d = StreamErrors.fromStreamError(n);
        assertThat(d.reason()).isEqualTo(DisconnectReason.REPLACED);
        assertThat(d.reason().code()).isEqualTo(440);
        assertThat(d.reason().action()).isEqualTo(DisconnectReason.Action.STOP);
    }

    @Test
    void deviceRemovedConflictWithoutCodeIsLoggedOut() {
        Node n = streamError(Map.of(), Node.of("conflict", Map.of("type", "device_removed")));
        assertThat(StreamErrors.fromStreamError(n).reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
    }

    @Test
    void bareStreamErrorIsBadSession500() {
        assertThat(StreamErrors.fromStreamError(streamError(Map.of())).reason())
                .isEqualTo(DisconnectReason.SERVER_ERROR);
        assertThat(StreamErrors.fromStreamError(streamError(Map.of(), Node.of("ack")))
                        .reason())
                .isEqualTo(DisconnectReason.SERVER_ERROR);
    }

    @ParameterizedTest
    @CsvSource({
        "401, LOGGED_OUT",
        "403, LOGGED_OUT",
        "406, LOGGED_OUT",
        "402, TEMPORARILY_BANNED",
        "405, CLIENT_OUTDATED",
        "409, USER_AGENT_REJECTED",
        "503, UNAVAILABLE",
        "500, SERVER_ERROR",
        "418, CONNECT_FAILURE"
    })
    void failureReasonKeepsTheServersCode(String reason, DisconnectReason expected) {
        Disconnect d = StreamErrors.fromFailure(Node.of("failure", Map.of("reason", reason)), "2.3000.1");
        assertThat(d.reason()).isEqualTo(expected);
        assertThat(d.code()).isEqualTo(Integer.parseInt(reason));
        assertThat(d.eventData())
                .containsEntry("code", Integer.parseInt(reason))
                .containsEntry("reason", expected.wireName());
    }

    @Test
    void failureWithoutReasonIs500() {
        assertThat(StreamErrors.fromFailure(Node.of("failure"), "2.3000.1").reason())
                .isEqualTo(DisconnectReason.SERVER_ERROR);
    }

    /** whatsmeow events.TemporaryBan: code and expire (seconds) travel with the event. */
    @Test
    void temporaryBanCarriesCodeAndExpiry() {
        Disconnect d = StreamErrors.fromFailure(
                Node.of("failure", Map.of("reason", "402", "code", "101", "expire", "3600")), "2.3000.1");
        assertThat(d.reason()).isEqualTo(DisconnectReason.TEMPORARILY_BANNED);
        assertThat(d.facts()).containsEntry("banCode", 101).containsEntry("expire", 3600L);
        assertThat(d.eventData()).containsEntry("expire", 3600L);
        assertThat(d.detail()).contains("3600 s");
    }

    @Test
    void outdatedClientNamesTheVersionAndHowToChangeIt() {
        Disconnect d = StreamErrors.fromFailure(Node.of("failure", Map.of("reason", "405")), "2.3000.1019707846");
        assertThat(d.reason()).isEqualTo(DisconnectReason.CLIENT_OUTDATED);
        assertThat(d.detail()).contains("2.3000.1019707846").contains("WA_VERSION");
    }

    @Test
    void abruptEndsAreConnectionClosed() {
        assertThat(StreamErrors.streamEnd().reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(StreamErrors.socketClosed("gone").reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(StreamErrors.socketClosed("gone").reason().action())
                .isEqualTo(DisconnectReason.Action.RECONNECT_WITH_BACKOFF);
    }

    @Test
    void everyMappedReasonHasTheActionTheNotesPromise() {
        assertThat(DisconnectReason.RESTART_REQUIRED.action()).isEqualTo(DisconnectReason.Action.RECONNECT_NOW);
        assertThat(DisconnectReason.LOGGED_OUT.action()).isEqualTo(DisconnectReason.Action.PURGE);
        assertThat(DisconnectReason.CLIENT_OUTDATED.action()).isEqualTo(DisconnectReason.Action.STOP);
        assertThat(DisconnectReason.QR_REFS_EXHAUSTED.action()).isEqualTo(DisconnectReason.Action.STOP);
        assertThat(DisconnectReason.BAD_CERTIFICATE.action()).isEqualTo(DisconnectReason.Action.STOP);
    }
}
