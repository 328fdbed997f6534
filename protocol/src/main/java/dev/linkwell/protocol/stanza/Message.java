package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <message id from t type [sender_pn] [participant]...>payload</message>}. The payload is one or more
 * {@code <enc>} (Signal, {@link Enc}): a group message carries the sender key's distribution in a
 * {@code pkmsg}/{@code msg} before its {@code skmsg}. A {@code <plaintext>} child holds an unpadded Message
 * protobuf, which Baileys reads as it is (Utils/decode-wa-message.js). Addressing attributes (LID / phone
 * number) are read by whoever needs them from {@link #node()}.
 */
public record Message(Node node) {

    public static final String TAG = "message";

    /**
     * {@code <message id from t type="text" [sender_pn]><plaintext>content</plaintext></message>}: a LID-addressed
     * sender comes with its phone number in {@code sender_pn} (whatsmeow message.go parseMessageSource).
     */
    public static Message plaintext(String id, String from, long t, String senderPn, byte[] content) {
        return new Message(Node.withChildren(
                TAG,
                Stanzas.attrs("id", id, "from", from, "t", Long.toString(t), "type", "text", "sender_pn", senderPn),
                List.of(Stanzas.bytes("plaintext", content))));
    }

    /** {@code <message attrs><enc/>..</message>}; attributes with a null value are left out. */
    public static Message encrypted(Map<String, String> attrs, List<Enc> payloads) {
        Map<String, String> present = new LinkedHashMap<>();
        attrs.forEach((k, v) -> {
            if (v != null) {
                present.put(k, v);
            }
        });
        return new Message(Node.withChildren(
                TAG, present, payloads.stream().map(Enc::toNode).toList()));
    }

    /** The {@code <enc>} children, in order. */
    public List<Enc> encs() {
        return node.children(Enc.TAG).stream().map(Enc::from).toList();
    }

    public String id() {
        return node.attr("id");
    }

    /** The bytes of a {@code <plaintext>} payload, or null. */
    public byte[] plaintext() {
        return Stanzas.childBytes(node, "plaintext");
    }

    /** Whether the payload is Signal-encrypted ({@code <enc>}). */
    public boolean encrypted() {
        return node.child("enc") != null;
    }

    public Node toNode() {
        return node;
    }
}
