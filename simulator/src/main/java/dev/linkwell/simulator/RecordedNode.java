package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.time.Instant;

/**
 * One node the server received. {@code deviceJid} is null while the connection is not logged in as a linked
 * device (registration / pairing connections); {@code connectionId} tells connections apart.
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
}
