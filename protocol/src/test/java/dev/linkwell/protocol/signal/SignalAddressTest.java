package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.jid.Jid;
import org.junit.jupiter.api.Test;

class SignalAddressTest {

    @Test
    void phoneNumberDevicesHaveNoAgentSuffix() {
        assertThat(SignalAddress.of(Jid.parse("5511999990000@s.whatsapp.net"))).hasToString("5511999990000.0");
        assertThat(SignalAddress.of(Jid.parse("5511999990000:3@s.whatsapp.net")))
                .hasToString("5511999990000.3");
    }

    @Test
    void lidAndHostedServersGetTheirAgent() {
        assertThat(SignalAddress.of(Jid.parse("190000000000001@lid"))).hasToString("190000000000001_1.0");
        assertThat(SignalAddress.of(Jid.parse("190000000000001:12@lid"))).hasToString("190000000000001_1.12");
        assertThat(SignalAddress.of(Jid.parse("5511999990000:99@hosted"))).hasToString("5511999990000_128.99");
        assertThat(SignalAddress.of(Jid.parse("190000000000001:99@hosted.lid"))).hasToString("190000000000001_129.99");
    }

    @Test
    void otherServersKeepTheJidsOwnAgent() {
        assertThat(SignalAddress.of(new Jid("123", 5, 2, "example.net"))).hasToString("123_5.2");
        assertThat(SignalAddress.of(new Jid("123", 0, 2, "example.net"))).hasToString("123.2");
    }

    @Test
    void parseAndToStringRoundTrip() {
        for (String s : new String[] {"5511999990000.0", "190000000000001_1.65535", "a_b.7"}) {
            assertThat(SignalAddress.parse(s)).hasToString(s);
        }
        assertThat(SignalAddress.parse("x.10")).isEqualTo(new SignalAddress("x", 10));
    }

    @Test
    void malformedAddressesAreRefused() {
        for (String s : new String[] {"", ".", "x.", ".1", "x", "x.a", "x.1a", "x.123456", "x.65536", "a.b.1"}) {
            assertThatThrownBy(() -> SignalAddress.parse(s)).as(s).isInstanceOf(SignalException.class);
        }
        assertThatThrownBy(() -> new SignalAddress("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignalAddress("a", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalAddress.of(Jid.SERVER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void senderKeyNamesPrintAsBaileysStoresThem() {
        SenderKeyName name =
                new SenderKeyName("120363000000000001@g.us", SignalAddress.of(Jid.parse("190000000000001:2@lid")));
        assertThat(name).hasToString("120363000000000001@g.us::190000000000001_1::2");
        assertThatThrownBy(() -> new SenderKeyName("", name.sender())).isInstanceOf(IllegalArgumentException.class);
    }
}
