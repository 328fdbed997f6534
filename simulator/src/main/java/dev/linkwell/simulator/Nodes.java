package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to build the server's nodes. Shapes are documented where they are used. */
final class Nodes {

    /**
     * The server's own address: a JID with an empty user, written as a JID pair, which Baileys reads as
     * {@code @s.whatsapp.net} (its S_WHATSAPP_NET, compared with {@code from}) and whatsmeow as
     * types.ServerJID. A plain {@code s.whatsapp.net} string is a different value to both.
     */
    static final String SERVER = "@s.whatsapp.net";

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

    /** {@code <iq from="s.whatsapp.net" id=.. type="result">children</iq>}: the answer to a client iq. */
    static Node result(Node request, Node... children) {
        Map<String, String> a = attrs("from", SERVER, "id", request.attrOr("id", ""), "type", "result");
        return children.length == 0 ? Node.of("iq", a) : Node.withChildren("iq", a, List.of(children));
    }

    /**
     * {@code <iq from id type="error"><error code text/></iq>}; Baileys' assertNodeErrorFree turns the error
     * child into a rejected query instead of a 60 s timeout (WABinary/generic-utils.js).
     */
    static Node error(Node request, int code, String text) {
        return Node.withChildren("iq", attrs("from", SERVER, "id", request.attrOr("id", ""), "type", "error"),
                List.of(node("error", "code", Integer.toString(code), "text", text)));
    }

    static Node firstChild(Node node) {
        if (node.contentKind() != Node.ContentKind.CHILDREN || node.children().isEmpty()) {
            return null;
        }
        return node.children().get(0);
    }
}
