package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Iq;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to build nodes the stanza records do not cover. Shapes are documented where they are used. */
final class Nodes {

    /**
     * The server's own address: a JID with an empty user, written as a JID pair, which Baileys reads as
     * {@code @s.whatsapp.net} (its S_WHATSAPP_NET, compared with {@code from}) and whatsmeow as
     * types.ServerJID. A plain {@code s.whatsapp.net} string is a different value to both.
     */
    static final String SERVER = Jid.SERVER.toString();

    private Nodes() {}

    static Map<String, String> attrs(String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("odd attribute list");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Node node(String tag, String... kv) {
        return Node.of(tag, attrs(kv));
    }

    static Node parent(String tag, Map<String, String> attrs, Node... children) {
        return Node.withChildren(tag, attrs, List.of(children));
    }

    static Node bytes(String tag, byte[] content) {
        return Node.withBytes(tag, Map.of(), content);
    }

    /** {@code <iq from="@s.whatsapp.net" id type="result">children</iq>}: the answer to a client iq. */
    static Node result(Node request, Node... children) {
        return Iq.serverResult(request, children);
    }

    /** {@code <iq from id type="error"><error code text/></iq>}. */
    static Node error(Node request, int code, String text) {
        return Iq.serverError(request, code, text);
    }

    static Node firstChild(Node node) {
        if (node.contentKind() != Node.ContentKind.CHILDREN || node.children().isEmpty()) {
            return null;
        }
        return node.children().get(0);
    }
}
