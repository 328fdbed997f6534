package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code <receipt id [type]>[<list><item id/>..</list>]</receipt>}: a client confirms one or several messages
 * (Baileys Socket/messages-send.js sendReceipt). A client that decrypted a message answers with a receipt,
 * not an ack (Baileys 7 Socket/messages-recv.js handleMessage; whatsmeow message.go -> receipt.go
 * sendMessageReceipt). A {@code retry} receipt asks for the message again and {@code server-error} reports a
 * failure, so neither confirms delivery (whatsmeow types/presence.go ReceiptType).
 *
 * @param ids the receipt's own id, then the ids of its {@code <list>}
 */
public record Receipt(String type, List<String> ids) {

    private static final Set<String> NOT_DELIVERED = Set.of("retry", "server-error");

    public Receipt {
        ids = List.copyOf(ids);
    }

    public static Receipt from(Node receipt) {
        List<String> ids = new ArrayList<>();
        if (receipt.attr("id") != null) {
            ids.add(receipt.attr("id"));
            Node list = receipt.child("list");
            if (list != null && list.contentKind() == Node.ContentKind.CHILDREN) {
                for (Node item : list.children("item")) {
                    if (item.attr("id") != null) {
                        ids.add(item.attr("id"));
                    }
                }
            }
        }
        return new Receipt(receipt.attr("type"), ids);
    }

    /**
     * What a device answers a message it could read with: {@code <receipt id to [recipient] [participant] [type]/>},
     * {@code to} and the addressing copied from the message (whatsmeow receipt.go buildBaseReceipt and
     * sendMessageReceipt at 33cfac5). {@code type}: none for a delivery while the client shows itself online,
     * {@code inactive} when it does not (whatsmeow's default until a presence is sent), {@code sender} for a message
     * our own account sent from another device, {@code peer_msg} for a peer message.
     */
    public static Node forMessage(Node message, String type) {
        return Node.of(
                "receipt",
                Stanzas.attrs(
                        "id",
                        message.attr("id"),
                        "to",
                        message.attr("from"),
                        "recipient",
                        message.attr("recipient"),
                        "participant",
                        message.attr("participant"),
                        "type",
                        type));
    }

    /**
     * A receipt to our own account for a protocol message from our phone: {@code hist_sync} for a history-sync
     * notification, {@code peer_msg} for a peer message (whatsmeow message.go SendProtocolMessageReceipt).
     *
     * @param ownJid our own phone-number JID without device
     */
    public static Node forProtocolMessage(String id, String type, String ownJid) {
        return Node.of("receipt", Stanzas.attrs("id", id, "type", type, "to", ownJid));
    }

    /** The ids of the messages this receipt confirms as delivered; empty for a retry or error receipt. */
    public List<String> deliveredIds() {
        return type != null && NOT_DELIVERED.contains(type) ? List.of() : ids;
    }
}
