package dev.linkwell.client.engine;

import dev.linkwell.protocol.binary.Node;
import java.util.Optional;

/**
 * The {@code <ack>} every stanza with an id gets, in whatsmeow's shape (receipt.go sendAck at 33cfac5):
 * {@code class} = the stanza's tag, {@code id}, {@code to} = its {@code from}, its {@code participant}
 * and {@code recipient} when present, and its {@code type} unless it is a message. The server replays
 * stanzas that were not acked at every reconnect, so a missing ack is not harmless.
 */
final class Acks {

    private Acks() {
    }

    /** The ack for a stanza, or empty when it has no id or no sender to answer. */
    static Optional<Node> ackFor(Node stanza) {
        String id = stanza.attr("id");
        String from = stanza.attr("from");
        if (id == null || from == null) {
            return Optional.empty();
        }
        Node.Builder b = Node.builder("ack").attr("class", stanza.tag()).attr("id", id).attr("to", from);
        copy(stanza, b, "participant");
        copy(stanza, b, "recipient");
        if (!"message".equals(stanza.tag())) {
            copy(stanza, b, "type");
        }
        return Optional.of(b.build());
    }

    private static void copy(Node from, Node.Builder to, String attr) {
        String v = from.attr(attr);
        if (v != null) {
            to.attr(attr, v);
        }
    }
}
