package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The companion's answer to pair-success: {@code <iq to type="result" id><pair-device-sign>
 * <device-identity key-index=N>ADVSignedDeviceIdentity without accountSignatureKey</device-identity>
 * </pair-device-sign></iq>} (whatsmeow pair.go handlePair; Baileys 7 configureSuccessfulPairing).
 *
 * @param keyIndex the {@code key-index} attribute as sent (null when missing)
 * @param deviceIdentity the serialized ADVSignedDeviceIdentity (null when missing)
 */
public record PairDeviceSign(String id, String keyIndex, byte[] deviceIdentity) {

    public Node toNode() {
        Node identity = Node.withBytes("device-identity", Stanzas.attrs("key-index", keyIndex), deviceIdentity);
        return new Iq(
                        id,
                        Iq.RESULT,
                        null,
                        Stanzas.SERVER,
                        null,
                        List.of(Node.withChildren("pair-device-sign", Map.of(), List.of(identity))))
                .toNode();
    }

    /** The signed identity in a result iq, or empty when the node carries no {@code <pair-device-sign>}. */
    public static Optional<PairDeviceSign> from(Node node) {
        Node sign = node.child("pair-device-sign");
        if (!"iq".equals(node.tag()) || !Iq.RESULT.equals(node.attr("type")) || sign == null) {
            return Optional.empty();
        }
        Node identity = sign.child("device-identity");
        return Optional.of(new PairDeviceSign(
                node.attr("id"),
                identity == null ? null : identity.attr("key-index"),
                identity == null ? null : identity.contentBytes()));
    }
}
