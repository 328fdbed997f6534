package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <ack class id to [participant] [recipient] [type]/>}: a client confirms a stanza it received. The
 * shape is whatsmeow's (receipt.go sendAck at 33cfac5): {@code class} = the stanza's tag, {@code id},
 * {@code to} = its {@code from}, its {@code participant} and {@code recipient} when present, and its
 * {@code type} unless it is a message. The server replays stanzas that were not acked at every reconnect,
 * so a missing ack is not harmless.
 */
public record Ack(String ackClass, String id, String to, String participant, String recipient, String type) {

    /** The stanzas a client acks (whatsmeow client.go nodeHandlers and sendAck callers). */
    public static final Set<String> ACKED_TAGS =
            Set.of("message", "receipt", "notification", "call", "status", "appdata");

    /** Nack codes (whatsmeow receipt.go at 33cfac5): the stanza did not parse. */
    public static final int NACK_PARSING_ERROR = 487;
    /** No payload of a kind the client reads. */
    public static final int NACK_UNRECOGNIZED_STANZA = 488;
    /** A payload decrypted to something that is not a Message protobuf. */
    public static final int NACK_INVALID_PROTOBUF = 491;
    /** The client failed while handling it. */
    public static final int NACK_UNHANDLED_ERROR = 500;

    /** Whether {@code stanza} is one the client must ack: an acked tag with an id. */
    public static boolean isOwedFor(Node stanza) {
        return ACKED_TAGS.contains(stanza.tag()) && stanza.attr("id") != null;
    }

    /** The ack for a stanza, or empty when it has no id or no sender to answer. */
    public static Optional<Ack> forStanza(Node stanza) {
        String id = stanza.attr("id");
        String from = stanza.attr("from");
        if (id == null || from == null) {
            return Optional.empty();
        }
        return Optional.of(new Ack(
                stanza.tag(),
                id,
                from,
                stanza.attr("participant"),
                stanza.attr("recipient"),
                "message".equals(stanza.tag()) ? null : stanza.attr("type")));
    }

    public static Ack from(Node node) {
        return new Ack(
                node.attr("class"),
                node.attr("id"),
                node.attr("to"),
                node.attr("participant"),
                node.attr("recipient"),
                node.attr("type"));
    }

    public Node toNode() {
        return toNode(0);
    }

    /** The ack with an {@code error} code (a nack: the stanza arrived but could not be used); 0 for none. */
    public Node toNode(int error) {
        return Node.of(
                "ack",
                Stanzas.attrs(
                        "class",
                        ackClass,
                        "id",
                        id,
                        "to",
                        to,
                        "participant",
                        participant,
                        "recipient",
                        recipient,
                        "type",
                        type,
                        "error",
                        error == 0 ? null : Integer.toString(error)));
    }
}
