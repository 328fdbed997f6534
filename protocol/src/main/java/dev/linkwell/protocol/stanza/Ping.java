package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;

/**
 * Keepalive queries. A client pings with {@code <iq id to type="get" xmlns="w:p"><ping/></iq>} (Baileys
 * Socket/socket.js startKeepAliveRequest, whatsmeow keepalive.go sendKeepAlive); the server pings with
 * {@code <iq id xmlns="urn:xmpp:ping" type="get" from/>}, which whatsmeow answers (connectionevents.go
 * handleIQ) and Baileys 6.17.16 ignores. Either is answered with an empty result.
 */
public final class Ping {

    public static final String CLIENT_XMLNS = "w:p";
    public static final String SERVER_XMLNS = "urn:xmpp:ping";

    private Ping() {}

    public static Node fromClient(String id) {
        return Iq.toServer(id, Iq.GET, CLIENT_XMLNS, Node.of("ping"));
    }

    public static Node fromServer(String id) {
        return Iq.fromServer(id, Iq.GET, SERVER_XMLNS);
    }

    /** Whether this is a ping query of either kind. */
    public static boolean is(Node node) {
        return "iq".equals(node.tag())
                && Iq.GET.equals(node.attr("type"))
                && (node.child("ping") != null || SERVER_XMLNS.equals(node.attr("xmlns")));
    }
}
