package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the stanza records share: the server's address and small attribute helpers. */
final class Stanzas {

    /**
     * The server's own address: a JID with an empty user written as a JID pair, which Baileys reads as
     * {@code @s.whatsapp.net} (its S_WHATSAPP_NET) and whatsmeow as types.ServerJID.
     */
    static final String SERVER = Jid.SERVER.toString();

    private Stanzas() {}

    /** Attributes in the given order, skipping null values. */
    static Map<String, String> attrs(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return m;
    }

    static Node bytes(String tag, byte[] content) {
        return Node.withBytes(tag, Map.of(), content);
    }

    /** The bytes of child {@code tag}, or null when the child or its content is missing. */
    static byte[] childBytes(Node parent, String tag) {
        Node c = parent == null ? null : parent.child(tag);
        return c == null ? null : c.contentBytes();
    }

    static Node firstChild(Node node) {
        return node.contentKind() == Node.ContentKind.CHILDREN
                        && !node.children().isEmpty()
                ? node.children().getFirst()
                : null;
    }

    static int parseInt(String s, int fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static long parseLong(String s, long fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
