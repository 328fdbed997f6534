package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;

/**
 * One kind of iq a logged-in client asks the server about its account or its contacts, answered from the
 * simulator's own state with the shape the real server uses (each implementation names its sources).
 */
interface AccountQuery {

    /** Whether this is the iq this query answers (by namespace, type and first child). */
    boolean handles(Node iq);

    /** The server's answer to an iq {@link #handles} accepted, for the logged-in device {@code deviceJid}. */
    Node answer(Node iq, String deviceJid);

    /** {@code xmlns} and {@code type} of the iq, and the tag of its first child ("" when it has none). */
    static boolean is(Node iq, String xmlns, String type, String firstChild) {
        Node child = Nodes.firstChild(iq);
        return xmlns.equals(iq.attr("xmlns"))
                && type.equals(iq.attr("type"))
                && firstChild.equals(child == null ? "" : child.tag());
    }
}
