package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code <notification from id type t>children</notification>}: something the server tells a logged-in
 * client (or a pairing one), acked like every stanza with an id. The {@code encrypt} kind with a
 * {@code <count value=N/>} child says the server runs low on the device's one-time prekeys (Baileys
 * Socket/messages-recv.js handleEncryptNotification; whatsmeow notification.go handleEncryptNotification:
 * both upload a new batch when N is below 5).
 */
public record Notification(String id, String from, String type, long t, List<Node> children) {

    public static final String ENCRYPT = "encrypt";

    public Notification {
        children = List.copyOf(children);
    }

    /** A notification from the server. */
    public static Node fromServer(String id, String type, long t, Node... children) {
        return new Notification(id, Stanzas.SERVER, type, t, List.of(children)).toNode();
    }

    /** {@code <notification type="encrypt"><count value=N/></notification>}: the server runs low on prekeys. */
    public static Node preKeysLow(String id, long t, int count) {
        return fromServer(id, ENCRYPT, t, Node.of("count", Stanzas.attrs("value", Integer.toString(count))));
    }

    public static Notification from(Node node) {
        List<Node> children = node.contentKind() == Node.ContentKind.CHILDREN ? node.children() : List.of();
        return new Notification(
                node.attr("id"), node.attr("from"), node.attr("type"), Stanzas.parseLong(node.attr("t"), 0), children);
    }

    /** The prekey count of an {@code encrypt} notification, when it carries one. */
    public OptionalInt preKeyCount() {
        if (!ENCRYPT.equals(type)) {
            return OptionalInt.empty();
        }
        return children.stream()
                .filter(c -> c.tag().equals("count"))
                .findFirst()
                .map(c -> Stanzas.parseInt(c.attr("value"), -1))
                .filter(n -> n >= 0)
                .map(OptionalInt::of)
                .orElse(OptionalInt.empty());
    }

    /** The first child with this tag, or null. */
    public Node child(String tag) {
        return children.stream().filter(c -> c.tag().equals(tag)).findFirst().orElse(null);
    }

    public Node toNode() {
        return Node.withChildren(
                "notification", Stanzas.attrs("from", from, "type", type, "id", id, "t", Long.toString(t)), children);
    }
}
