package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
            "403, FORBIDDEN",
            "402, BANNED",
            "440, REPLACED",
            "500, SERVER_ERROR",
            "503, UNAVAILABLE",
            "408, TIMED_OUT",
            "428, CONNECTION_CLOSED",
            "999, UNKNOWN",
            "abc, UNKNOWN"})
    void codeAttributeMapsToReason(String code, DisconnectReason expected) {
        assertThat(StreamErrors.fromStreamError(streamError(Map.of("code", code))).reason()).isEqualTo(expected);
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
        assertThat(StreamErrors.fromStreamError(streamError(Map.of())).reason()).isEqualTo(DisconnectReason.SERVER_ERROR);
        assertThat(StreamErrors.fromStreamError(streamError(Map.of(), Node.of("ack"))).reason())
                .isEqualTo(DisconnectReason.SERVER_ERROR);
    }

    @ParameterizedTest
    @CsvSource({"401, LOGGED_OUT", "403, FORBIDDEN", "402, BANNED", "503, UNAVAILABLE", "500, SERVER_ERROR"})
    void failureReason(String reason, DisconnectReason expected) {
        assertThat(StreamErrors.fromFailure(Node.of("failure", Map.of("reason", reason))).reason()).isEqualTo(expected);
    }

    @Test
    void failureWithoutReasonIs500() {
        assertThat(StreamErrors.fromFailure(Node.of("failure")).reason()).isEqualTo(DisconnectReason.SERVER_ERROR);
    }

    @Test
    void abruptEndsAreConnectionClosed() {
        assertThat(StreamErrors.streamEnd().reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(StreamErrors.socketClosed("gone").reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(StreamErrors.socketClosed("gone").reason().action()).isEqualTo(DisconnectReason.Action.RECONNECT_WITH_BACKOFF);
    }

    @Test
    void everyMappedReasonHasTheActionTheNotesPromise() {
        assertThat(DisconnectReason.RESTART_REQUIRED.action()).isEqualTo(DisconnectReason.Action.RECONNECT_NOW);
        assertThat(DisconnectReason.LOGGED_OUT.action()).isEqualTo(DisconnectReason.Action.PURGE);
        assertThat(DisconnectReason.FORBIDDEN.action()).isEqualTo(DisconnectReason.Action.STOP);
        assertThat(DisconnectReason.QR_REFS_EXHAUSTED.action()).isEqualTo(DisconnectReason.Action.STOP);
        assertThat(DisconnectReason.BAD_CERTIFICATE.action()).isEqualTo(DisconnectReason.Action.STOP);
    }
}
