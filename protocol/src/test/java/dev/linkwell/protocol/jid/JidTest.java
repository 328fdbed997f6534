package dev.linkwell.protocol.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JidTest {

    @ParameterizedTest
    @CsvSource({
        "5511999999999@s.whatsapp.net, 5511999999999, 0, 0, s.whatsapp.net",
        "5511999999999:12@s.whatsapp.net, 5511999999999, 0, 12, s.whatsapp.net",
        "123456789012345:3@lid, 123456789012345, 0, 3, lid",
        "120363025246125486@g.us, 120363025246125486, 0, 0, g.us",
        "status@broadcast, status, 0, 0, broadcast",
        "@s.whatsapp.net, '', 0, 0, s.whatsapp.net",
        "16505361212@c.us, 16505361212, 0, 0, c.us",
        "120363144038483540@newsletter, 120363144038483540, 0, 0, newsletter",
        "123.1:2@s.whatsapp.net, 123, 1, 2, s.whatsapp.net",
        "123.7:0@s.whatsapp.net, 123, 7, 0, s.whatsapp.net",
        "a.b:3@lid, a.b, 0, 3, lid",
        "1.256:2@s.whatsapp.net, 1.256, 0, 2, s.whatsapp.net",
        "1.07:2@s.whatsapp.net, 1.07, 0, 2, s.whatsapp.net",
        "123:4@hosted, 123, 0, 4, hosted",
        "123:4@hosted.lid, 123, 0, 4, hosted.lid",
        "a.b@broadcast, a.b, 0, 0, broadcast",
        "12_1@s.whatsapp.net, 12_1, 0, 0, s.whatsapp.net",
        "ABCDEF0123@call, ABCDEF0123, 0, 0, call",
    })
    void parsesAndPrintsBack(String s, String user, int agent, int device, String server) {
        Jid j = Jid.parse(s);
        assertThat(j).isEqualTo(new Jid(user, agent, device, server));
        assertThat(j.toString()).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "abc",
                "abc@",
                "a@b@c",
                "1:2:3@s.whatsapp.net",
                "1:x@s.whatsapp.net",
                "1:@s.whatsapp.net",
                "1:65536@s.whatsapp.net",
                "1:123456@lid"
            })
    void rejects(String s) {
        assertThatThrownBy(() -> Jid.parse(s)).isInstanceOf(ProtocolException.class);
        assertThat(Jid.tryParse(s)).isNull();
    }

    @Test
    void helpers() {
        Jid dev = Jid.parse("5511999999999:12@s.whatsapp.net");
        assertThat(dev.isUser()).isTrue();
        assertThat(dev.isLid()).isFalse();
        assertThat(dev.hasDevice()).isTrue();
        assertThat(dev.toNonAd()).hasToString("5511999999999@s.whatsapp.net");
        assertThat(dev.toNonAd().hasDevice()).isFalse();
        assertThat(dev.sameUser(Jid.parse("5511999999999@s.whatsapp.net"))).isTrue();
        assertThat(Jid.parse("1:3@lid").isLid()).isTrue();
        assertThat(Jid.parse("1-2@g.us").isGroup()).isTrue();
        assertThat(Jid.parse("status@broadcast").isStatusBroadcast()).isTrue();
        assertThat(Jid.parse("x@broadcast").isBroadcast()).isTrue();
        assertThat(Jid.parse("x@broadcast").isStatusBroadcast()).isFalse();
        assertThat(Jid.parse("1@newsletter").isNewsletter()).isTrue();
        assertThat(Jid.parse("1:2@hosted.lid").isHosted()).isTrue();
        assertThat(Jid.parse("16505361212:4@c.us").normalizedUser()).hasToString("16505361212@s.whatsapp.net");
        assertThat(Jid.of("1", 2, JidServer.LID)).hasToString("1:2@lid");
        assertThat(Jid.SERVER).hasToString("@s.whatsapp.net");
    }

    @Test
    void constructorGuards() {
        assertThatThrownBy(() -> new Jid("a@b", 0, 0, "g.us")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Jid("a", 0, 0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Jid("a", 256, 0, "lid")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Jid("a", 0, -1, "lid")).isInstanceOf(IllegalArgumentException.class);
    }
}
