package dev.linkwell.protocol.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.jid.Jid;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTest {

    private final Node iq = Node.builder("iq")
            .attr("id", "1a")
            .attr("to", Jid.SERVER)
            .attr("t", 1700000000L)
            .child(Node.builder("pair-device")
                    .child(Node.withBytes("ref", Map.of(), "R1".getBytes(StandardCharsets.UTF_8)))
                    .child(Node.withBytes("ref", Map.of(), "R2".getBytes(StandardCharsets.UTF_8)))
                    .build())
            .child(Node.of("ping"))
            .build();

    @Test
    void accessors() {
        assertThat(iq.tag()).isEqualTo("iq");
        assertThat(iq.attr("id")).isEqualTo("1a");
        assertThat(iq.attr("missing")).isNull();
        assertThat(iq.attrOr("missing", "x")).isEqualTo("x");
        assertThat(iq.attr("t")).isEqualTo("1700000000");
        assertThat(iq.attrJid("to")).isEqualTo(Jid.SERVER);
        assertThat(iq.attrJid("missing")).isNull();
        assertThatThrownBy(() -> iq.attrJid("id")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> iq.requireAttr("type"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("type");
        assertThat(iq.attrs().keySet()).containsExactly("id", "to", "t");
        assertThat(iq.contentKind()).isEqualTo(Node.ContentKind.CHILDREN);
        assertThat(iq.children()).hasSize(2);
        assertThat(iq.child("pair-device").children("ref")).hasSize(2);
        assertThat(iq.child("pair-device").child("ref").contentString()).isEqualTo("R1");
        assertThat(iq.child("nope")).isNull();
        assertThat(iq.child("ping").children()).isEmpty();
        assertThat(iq.child("ping").contentBytes()).isNull();
        assertThat(iq.child("ping").hasContent()).isFalse();
    }

    @Test
    void immutable() {
        byte[] b = {1, 2, 3};
        Node n = Node.withBytes("x", Map.of(), b);
        b[0] = 9;
        assertThat(n.contentBytes()).containsExactly(1, 2, 3);
        n.contentBytes()[1] = 9;
        assertThat(n.contentBytes()).containsExactly(1, 2, 3);
        Map<String, String> attrs = new LinkedHashMap<>(Map.of("a", "b"));
        Node m = Node.of("x", attrs);
        attrs.put("c", "d");
        assertThat(m.attrs()).containsOnlyKeys("a");
        assertThatThrownBy(() -> m.attrs().put("e", "f")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> iq.children().add(Node.of("y"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void contentConversions() {
        assertThat(Node.withString("x", Map.of(), "héllo").contentBytes())
                .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(Node.withBytes("x", Map.of(), "héllo".getBytes(StandardCharsets.UTF_8))
                        .contentString())
                .isEqualTo("héllo");
        assertThat(Node.withString("x", Map.of(), "a").contentKind()).isEqualTo(Node.ContentKind.STRING);
    }

    @Test
    void equalityIncludesAttributeOrderAndBytes() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(Node.of("x", ab)).isNotEqualTo(Node.of("x", ba));
        assertThat(Node.withBytes("x", ab, new byte[] {1}))
                .isEqualTo(Node.withBytes("x", ab, new byte[] {1}))
                .hasSameHashCodeAs(Node.withBytes("x", ab, new byte[] {1}));
        assertThat(Node.withBytes("x", ab, new byte[] {1})).isNotEqualTo(Node.withString("x", ab, "\u0001"));
        assertThat(Node.withChildren("x", Map.of(), List.of())).isNotEqualTo(Node.of("x"));
    }

    @Test
    void toStringIsXmlLike() {
        assertThat(iq.toString())
                .isEqualTo("<iq id=\"1a\" to=\"@s.whatsapp.net\" t=\"1700000000\"><pair-device>"
                        + "<ref><!--2 bytes-->5231</ref><ref><!--2 bytes-->5232</ref></pair-device><ping/></iq>");
        assertThat(Node.withString("m", Map.of("q", "a\"<&>"), "x<y").toString())
                .isEqualTo("<m q=\"a&quot;&lt;&amp;&gt;\">x&lt;y</m>");
        assertThat(Node.withBytes("b", Map.of(), new byte[100]).toString())
                .endsWith("...</b>")
                .contains("<!--100 bytes-->");
    }

    @Test
    void rejectsNullsAndEmptyTag() {
        assertThatThrownBy(() -> Node.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Node.builder("x").attr("k", (String) null).build())
                .isInstanceOf(NullPointerException.class);
    }
}
