package dev.linkwell.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Each payload record serializes to the JSON the README documents under "Events", key for key. */
class EventDataJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private String write(Object value) {
        return json.writeValueAsString(value);
    }

    @Test
    void qrAndPairingCode() {
        assertThat(write(new EventData.Qr("2@abc"))).isEqualTo("{\"qr\":\"2@abc\"}");
        assertThat(write(new EventData.PairingCode("ABCD1234"))).isEqualTo("{\"pairingCode\":\"ABCD1234\"}");
        assertThat(new EventData.Qr("2@secret")).hasToString("Qr[...]");
    }

    @Test
    void statuses() {
        assertThat(write(new EventData.Starting("native")))
                .isEqualTo("{\"status\":\"starting\",\"provider\":\"native\"}");
        assertThat(write(new EventData.Open("519@s.whatsapp.net")))
                .isEqualTo("{\"status\":\"open\",\"jid\":\"519@s.whatsapp.net\"}");
        assertThat(write(new EventData.Open(null))).isEqualTo("{\"status\":\"open\"}");
        Disconnect restart = Disconnect.of(DisconnectReason.RESTART_REQUIRED, "restart required");
        assertThat(write(EventData.Restarting.of(restart)))
                .isEqualTo(
                        "{\"status\":\"restarting\",\"reason\":\"restart_required\",\"code\":515,\"detail\":\"restart required\"}");
        Disconnect drop = Disconnect.of(DisconnectReason.CONNECTION_CLOSED, "socket closed");
        assertThat(write(EventData.Reconnecting.of(3, 2817, drop)))
                .isEqualTo(
                        "{\"status\":\"reconnecting\",\"attempt\":3,"
                                + "\"delayMs\":2817,\"reason\":\"connection_closed\",\"code\":428,\"detail\":\"socket closed\"}");
    }

    @Test
    void closedAndRemoved() {
        assertThat(write(EventData.Closed.by("user"))).isEqualTo("{\"reason\":\"user\"}");
        assertThat(write(EventData.Closed.by("start_failed", "no engine")))
                .isEqualTo("{\"reason\":\"start_failed\",\"detail\":\"no engine\"}");
        Map<String, Object> ban = new LinkedHashMap<>();
        ban.put("banCode", 101);
        ban.put("expire", 3600L);
        Disconnect banned = new Disconnect(DisconnectReason.TEMPORARILY_BANNED, 402, "temporarily banned", ban);
        assertThat(json.readTree(write(EventData.Closed.of(banned))))
                .isEqualTo(
                        json.readTree(
                                "{\"reason\":\"temporarily_banned\",\"code\":402,\"detail\":\"temporarily banned\",\"banCode\":101,\"expire\":3600}"));
        assertThat(write(EventData.Removed.by("user"))).isEqualTo("{\"reason\":\"user\"}");
        Disconnect loggedOut = Disconnect.of(DisconnectReason.LOGGED_OUT, 403, "locked");
        assertThat(write(EventData.Removed.of(loggedOut)))
                .isEqualTo("{\"reason\":\"logged_out\",\"code\":403,\"detail\":\"locked\"}");
    }

    @Test
    void messagesAreTheEnginesFieldsAsTheyAre() {
        assertThat(json.readTree(write(new EventData.Message(Map.of("id", "3EB0", "fromMe", false, "text", "hi")))))
                .isEqualTo(json.readTree("{\"id\":\"3EB0\",\"fromMe\":false,\"text\":\"hi\"}"));
    }

    @Test
    void aMessageKeepsTheEnginesFieldOrderAndItsRawObject() {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("id", "3EB0");
        fields.put("chat", "120363000000000001@g.us");
        fields.put("type", "image");
        fields.put("raw", Map.of("imageMessage", Map.of("caption", "look", "fileLength", "2048")));
        assertThat(write(new EventData.Message(fields)))
                .isEqualTo("{\"id\":\"3EB0\",\"chat\":\"120363000000000001@g.us\",\"type\":\"image\","
                        + "\"raw\":{\"imageMessage\":" + write(Map.of("caption", "look", "fileLength", "2048")) + "}}");
    }

    @Test
    void envelopesOfEventsAndGaps() {
        Instant at = Instant.parse("2026-11-25T09:40:12.345Z");
        SessionEvent event =
                new SessionEvent("1764063612345001", EventType.QR, "shop-1", at, new EventData.Qr("2@abc"));
        assertThat(json.readTree(write(event)))
                .isEqualTo(
                        json.readTree(
                                "{\"id\":\"1764063612345001\",\"type\":\"session.qr\","
                                        + "\"sessionId\":\"shop-1\",\"timestamp\":\"2026-11-25T09:40:12.345Z\",\"data\":{\"qr\":\"2@abc\"}}"));
        EventGap gap = new EventGap("1764063612345000", at, new EventGap.Data("1764063612340000", "1764063612345001"));
        assertThat(write(gap))
                .isEqualTo("{\"id\":\"1764063612345000\",\"type\":\"session.gap\",\"sessionId\":null,"
                        + "\"timestamp\":\"2026-11-25T09:40:12.345Z\",\"data\":{\"lastEventId\":\"1764063612340000\","
                        + "\"oldestEventId\":\"1764063612345001\"}}");
    }
}
