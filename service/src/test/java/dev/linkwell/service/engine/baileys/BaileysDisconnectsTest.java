package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.protocol.binary.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every row of the Baileys close table, with the action the service takes for it. */
class BaileysDisconnectsTest {

    private static final String VERSION = "2.3000.1045649367";

    private static Node failure(Map<String, String> attrs) {
        return Node.of("failure", attrs);
    }

    private static Node streamError(Map<String, String> attrs, Node... children) {
        return Node.withChildren("stream:error", attrs, List.of(children));
    }

    private static Disconnect map(Integer code, String message, Node node) {
        return BaileysDisconnects.of(code, message, node, VERSION);
    }

    @Test
    void theServersFailureNodeMapsAsForTheNativeEngine() {
        for (int reason : new int[] {401, 403, 406}) {
            Disconnect d = map(reason, "Connection Failure", failure(Map.of("reason", Integer.toString(reason))));
            assertThat(d.reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
            assertThat(d.reason().action()).isEqualTo(DisconnectReason.Action.PURGE);
            assertThat(d.code()).isEqualTo(reason);
        }
        Disconnect ban =
                map(402, "Connection Failure", failure(Map.of("reason", "402", "code", "101", "expire", "3600")));
        assertThat(ban.reason()).isEqualTo(DisconnectReason.TEMPORARILY_BANNED);
        assertThat(ban.facts()).containsEntry("banCode", 101).containsEntry("expire", 3600L);
        Disconnect outdated = map(405, "Connection Failure", failure(Map.of("reason", "405")));
        assertThat(outdated.reason()).isEqualTo(DisconnectReason.CLIENT_OUTDATED);
        assertThat(outdated.detail()).contains(VERSION).contains("WA_VERSION");
        assertThat(map(503, "Connection Failure", failure(Map.of("reason", "503")))
                        .reason()
                        .action())
                .isEqualTo(DisconnectReason.Action.RECONNECT_WITH_BACKOFF);
        assertThat(map(409, "Connection Failure", failure(Map.of("reason", "409")))
                        .reason())
                .isEqualTo(DisconnectReason.USER_AGENT_REJECTED);
    }

    @Test
    void theServersStreamErrorNodeMapsAsForTheNativeEngine() {
        assertThat(map(515, "Stream Errored (restart required)", streamError(Map.of("code", "515")))
                        .reason())
                .isEqualTo(DisconnectReason.RESTART_REQUIRED);
        // Baileys calls any conflict 440; the node says whether the device was removed (a logout) or replaced
        assertThat(map(
                                440,
                                "Stream Errored (conflict)",
                                streamError(Map.of(), Node.of("conflict", Map.of("type", "replaced"))))
                        .reason())
                .isEqualTo(DisconnectReason.REPLACED);
        assertThat(map(
                                440,
                                "Stream Errored (conflict)",
                                streamError(Map.of(), Node.of("conflict", Map.of("type", "device_removed"))))
                        .reason())
                .isEqualTo(DisconnectReason.LOGGED_OUT);
        assertThat(map(
                                401,
                                "Stream Errored (conflict)",
                                streamError(
                                        Map.of("code", "401"), Node.of("conflict", Map.of("type", "device_removed"))))
                        .reason())
                .isEqualTo(DisconnectReason.LOGGED_OUT);
        assertThat(map(503, "Stream Errored (unknown)", streamError(Map.of("code", "503")))
                        .reason())
                .isEqualTo(DisconnectReason.UNAVAILABLE);
    }

    @Test
    void withoutANodeTheMessageSaysWhichTableTheCodeBelongsTo() {
        assertThat(map(403, "Connection Failure", null).reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
        assertThat(map(405, "Connection Failure", null).reason()).isEqualTo(DisconnectReason.CLIENT_OUTDATED);
        assertThat(map(515, "Stream Errored (restart required)", null).reason())
                .isEqualTo(DisconnectReason.RESTART_REQUIRED);
        assertThat(map(440, "Stream Errored (conflict)", null).reason()).isEqualTo(DisconnectReason.REPLACED);
    }

    @Test
    void baileysOwnClosesMapToTheLifecycleRules() {
        Disconnect qr = map(408, "QR refs attempts ended", null);
        assertThat(qr.reason()).as("not a timeout to retry").isEqualTo(DisconnectReason.QR_REFS_EXHAUSTED);
        assertThat(qr.reason().action()).isEqualTo(DisconnectReason.Action.STOP);
        assertThat(map(408, "Connection was lost", null).reason()).isEqualTo(DisconnectReason.TIMED_OUT);
        assertThat(map(408, "Timed Out", null).reason().action())
                .isEqualTo(DisconnectReason.Action.RECONNECT_WITH_BACKOFF);
        assertThat(map(428, "Connection Terminated", null).reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(map(428, "Connection Terminated by Server", null).reason().action())
                .isEqualTo(DisconnectReason.Action.RECONNECT_WITH_BACKOFF);
        assertThat(map(500, "bad session", null).reason()).isEqualTo(DisconnectReason.SERVER_ERROR);
        assertThat(map(503, "unavailable", null).reason()).isEqualTo(DisconnectReason.UNAVAILABLE);
        assertThat(map(401, "Intentional Logout", null).reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
        Disconnect mismatch = map(411, "Multi-device beta not joined", null);
        assertThat(mismatch.reason()).isEqualTo(DisconnectReason.CONNECT_FAILURE);
        assertThat(mismatch.code()).isEqualTo(411);
        assertThat(map(499, "something new", null).reason()).isEqualTo(DisconnectReason.UNKNOWN);
    }

    @Test
    void anHttpRefusalOfTheUpgradeIsNeverALogout() {
        for (int status : new int[] {401, 403, 500}) {
            Disconnect d = map(status, "WebSocket Error (Unexpected server response: " + status + ")", null);
            assertThat(d.reason()).isEqualTo(DisconnectReason.UNKNOWN);
            assertThat(d.reason().action()).isEqualTo(DisconnectReason.Action.RECONNECT_WITH_BACKOFF);
        }
        assertThat(map(408, "WebSocket Error (connect ECONNREFUSED 127.0.0.1:9)", null)
                        .reason())
                .isEqualTo(DisconnectReason.TIMED_OUT);
    }

    @Test
    void aSocketEndedWithoutAnErrorReconnects() {
        Disconnect d = map(null, null, null);
        assertThat(d.reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(d.reason().action()).isEqualTo(DisconnectReason.Action.RECONNECT_WITH_BACKOFF);
    }
}
