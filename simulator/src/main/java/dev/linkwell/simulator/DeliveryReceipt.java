package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a client's {@code <receipt>} tells the server about messages it delivered to the device. A client that
 * decrypted a message answers it with a receipt, not an {@code <ack>}: Baileys 7.0.0-rc14 lib/Socket/messages-recv.js
 * handleMessage sends only {@code sendReceipt(.., 'inactive' | undefined)} on success, and whatsmeow message.go
 * decryptMessages -> receipt.go sendMessageReceipt @33cfac5 the same, so the server must count the receipt as
 * delivery or it would send the message again at every login. Shape: {@code <receipt id=first [type]><list>
 * <item id/>..</list></receipt>} for several messages (Baileys lib/Socket/messages-send.js sendReceipt).
 * A {@code retry} receipt asks for the message again (it did not decrypt) and {@code server-error} reports a
 * failure, so neither counts (whatsmeow types/presence.go ReceiptType).
 */
final class DeliveryReceipt {

    private static final Set<String> NOT_DELIVERED = Set.of("retry", "server-error");

    private DeliveryReceipt() {}

    /** The ids of the messages this receipt confirms as delivered; empty for a retry or error receipt. */
    static List<String> deliveredMessageIds(Node receipt) {
        String id = receipt.attr("id");
        if (id == null || NOT_DELIVERED.contains(receipt.attrOr("type", ""))) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        ids.add(id);
        Node list = receipt.child("list");
        if (list != null && list.contentKind() == Node.ContentKind.CHILDREN) {
            for (Node item : list.children("item")) {
                if (item.attr("id") != null) {
                    ids.add(item.attr("id"));
                }
            }
        }
        return ids;
    }
}
