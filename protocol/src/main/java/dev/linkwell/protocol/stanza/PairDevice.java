package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server offers QR refs to a new companion: {@code <iq from type="set" id xmlns="md"><pair-device>
 * <ref>..</ref>..</pair-device></iq>} (Baileys Socket/socket.js 'CB:iq,type:set,pair-device'; whatsmeow
 * pair.go handlePairDevice). The companion answers with an empty result and shows one QR per ref.
 */
public record PairDevice(String id, List<String> refs) {

    public PairDevice {
        refs = List.copyOf(refs);
    }

    public Node toNode() {
        List<Node> refNodes = new ArrayList<>();
        for (String ref : refs) {
            refNodes.add(Stanzas.bytes("ref", ref.getBytes(StandardCharsets.UTF_8)));
        }
        return Iq.fromServer(id, Iq.SET, "md", Node.withChildren("pair-device", Map.of(), refNodes));
    }

    /** The offer in an iq set, with its non-empty refs; empty for any other node. */
    public static Optional<PairDevice> from(Node node) {
        Node offer = node.child("pair-device");
        if (!"iq".equals(node.tag()) || !Iq.SET.equals(node.attr("type")) || offer == null) {
            return Optional.empty();
        }
        List<String> refs = new ArrayList<>();
        for (Node ref : offer.children("ref")) {
            String text = ref.contentString();
            if (text != null && !text.isEmpty()) {
                refs.add(text);
            }
        }
        return Optional.of(new PairDevice(node.attrOr("id", ""), refs));
    }
}
