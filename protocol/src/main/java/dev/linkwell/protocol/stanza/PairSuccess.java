package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The phone accepted the companion: {@code <iq from type="set" id xmlns="md"><pair-success>
 * <device-identity>ADVSignedDeviceIdentityHMAC</device-identity><platform name/><device jid lid/>
 * [<biz name/>]</pair-success></iq>} (whatsmeow pair.go handlePairSuccess; Baileys 7
 * Utils/validate-connection.js configureSuccessfulPairing). Parsed leniently: a missing part is null, and
 * the companion decides what a missing part means.
 *
 * @param deviceIdentity the serialized ADVSignedDeviceIdentityHMAC
 * @param businessName   the {@code <biz name>} of a business account, or null
 */
public record PairSuccess(
        String id, byte[] deviceIdentity, String platform, String jid, String lid, String businessName) {

    public Node toNode() {
        List<Node> children = new ArrayList<>(List.of(
                Stanzas.bytes("device-identity", deviceIdentity),
                Node.of("platform", Stanzas.attrs("name", platform)),
                Node.of("device", Stanzas.attrs("jid", jid, "lid", lid))));
        if (businessName != null) {
            children.add(Node.of("biz", Stanzas.attrs("name", businessName)));
        }
        return Iq.fromServer(id, Iq.SET, "md", Node.withChildren("pair-success", Map.of(), children));
    }

    /** The pair-success in an iq, or empty when the node carries none. */
    public static Optional<PairSuccess> from(Node node) {
        Node success = node.child("pair-success");
        if (!"iq".equals(node.tag()) || success == null) {
            return Optional.empty();
        }
        Node device = success.child("device");
        Node platform = success.child("platform");
        Node biz = success.child("biz");
        return Optional.of(new PairSuccess(
                node.attr("id"),
                Stanzas.childBytes(success, "device-identity"),
                platform == null ? null : platform.attr("name"),
                device == null ? null : device.attr("jid"),
                device == null ? null : device.attr("lid"),
                biz == null ? null : biz.attr("name")));
    }
}
