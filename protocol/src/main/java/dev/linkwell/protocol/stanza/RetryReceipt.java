package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.signal.PreKeyBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A retry receipt, as the server relays it to the message's sender: {@code <receipt id from type="retry" t
 * [recipient] [participant]><retry count id t v="1"/><registration>4 bytes</registration>[<keys><type/><identity/>
 * <key/><skey/><device-identity/></keys>]</receipt>}: device {@code from} could not decrypt message {@code id} and
 * asks for it again, with its registration id and, from the second try on, a bundle to start a new session from
 * (whatsmeow retry.go sendRetryReceipt / handleRetryReceipt at 33cfac5; Baileys 7.0.0-rc14 messages-recv.js
 * sendRetryRequest).
 *
 * @param from      the device that asks
 * @param recipient the chat, when the asking device is one of our own (it got a DeviceSentMessage)
 * @param count     which try this is, from 1
 * @param bundle    the asking device's keys, when the receipt carries them
 */
public record RetryReceipt(
        String id,
        String from,
        String recipient,
        String participant,
        int count,
        long t,
        int registrationId,
        Optional<PreKeyBundle> bundle) {

    public static final String TYPE = "retry";

    public static boolean is(Node node) {
        return "receipt".equals(node.tag()) && TYPE.equals(node.attr("type"));
    }

    /**
     * Reads a retry receipt; the message id is the {@code <retry id>} (whatsmeow), else the receipt's own.
     *
     * @throws ProtocolException when it has no {@code <retry>}, no sender, or keys that do not parse
     */
    public static RetryReceipt from(Node receipt) {
        Node retry = receipt.child("retry");
        if (retry == null || receipt.attr("from") == null) {
            throw new ProtocolException("retry receipt without <retry> or from");
        }
        String id = retry.attr("id") != null ? retry.attr("id") : receipt.attr("id");
        byte[] registration = Stanzas.childBytes(receipt, "registration");
        Optional<PreKeyBundle> bundle =
                receipt.child("keys") == null ? Optional.empty() : Optional.of(PreKeyFetch.bundle(receipt));
        return new RetryReceipt(
                id,
                receipt.attr("from"),
                receipt.attr("recipient"),
                receipt.attr("participant"),
                Stanzas.parseInt(retry.attr("count"), 1),
                Stanzas.parseLong(retry.attr("t"), 0),
                registration == null || registration.length != 4 ? 0 : (int) Bytes.bigEndian(registration),
                bundle);
    }

    /**
     * The receipt as the server hands it to the sender. The keys, when sent, are those of {@code bundle} (its
     * one-time prekey and signed prekey) with the asking device's serialized identity.
     */
    public Node toNode(String receiptId, byte[] deviceIdentity) {
        List<Node> content = new ArrayList<>(List.of(
                Node.of(
                        "retry",
                        Stanzas.attrs("count", Integer.toString(count), "id", id, "t", Long.toString(t), "v", "1")),
                Stanzas.bytes("registration", Bytes.bigEndian(registrationId, 4))));
        bundle.ifPresent(b -> {
            List<Node> keys = new ArrayList<>(List.of(
                    Stanzas.bytes("type", new byte[] {PreKeyUpload.KEY_TYPE}),
                    Stanzas.bytes("identity", b.identityKey().publicKey())));
            if (b.preKeyId().isPresent()) {
                keys.add(Node.withChildren(
                        "key",
                        Map.of(),
                        List.of(
                                Stanzas.bytes("id", Bytes.bigEndian(b.preKeyId().getAsInt(), 3)),
                                Stanzas.bytes("value", b.preKey()))));
            }
            keys.add(Node.withChildren(
                    "skey",
                    Map.of(),
                    List.of(
                            Stanzas.bytes("id", Bytes.bigEndian(b.signedPreKeyId(), 3)),
                            Stanzas.bytes("value", b.signedPreKey()),
                            Stanzas.bytes("signature", b.signedPreKeySignature()))));
            if (deviceIdentity != null) {
                keys.add(Stanzas.bytes("device-identity", deviceIdentity));
            }
            content.add(Node.withChildren("keys", Map.of(), keys));
        });
        return Node.withChildren(
                "receipt",
                Stanzas.attrs(
                        "id",
                        receiptId,
                        "from",
                        from,
                        "type",
                        TYPE,
                        "t",
                        Long.toString(t),
                        "recipient",
                        recipient,
                        "participant",
                        participant),
                content);
    }
}
