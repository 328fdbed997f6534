package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Ack;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.Receipt;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * One node the server received. {@code deviceJid} is null while the connection is not logged in as a linked
 * device (registration / pairing connections); {@code connectionId} tells connections apart. The typed views
 * ({@link #ack()}, {@link #iq()}, {@link #receipt()}, {@link #as}) read it with the protocol's stanza records.
 */
public record RecordedNode(long connectionId, String deviceJid, Node node, Instant receivedAt) {

    public String tag() {
        return node.tag();
    }

    /** True when the node is an iq with the given xmlns and (if not null) a child with that tag. */
    public boolean isIq(String xmlns, String childTag) {
        if (!"iq".equals(node.tag()) || !xmlns.equals(node.attr("xmlns"))) {
            return false;
        }
        return childTag == null || node.child(childTag) != null;
    }

    /** The node read as a stanza of the given kind, when it has that tag. */
    public <T> Optional<T> as(String stanzaTag, Function<Node, T> reader) {
        return stanzaTag.equals(node.tag()) ? Optional.of(reader.apply(node)) : Optional.empty();
    }

    public Optional<Ack> ack() {
        return as("ack", Ack::from);
    }

    public Optional<Iq> iq() {
        return as("iq", Iq::from);
    }

    public Optional<Receipt> receipt() {
        return as("receipt", Receipt::from);
    }
}
