package dev.linkwell.protocol.binary;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.jid.Jid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One WhatsApp Web binary node: a tag, ordered string attributes, and optional content.
 *
 * <p>Content is one of: none, a list of child nodes (possibly empty), bytes, or a string. This
 * follows Baileys' {@code BinaryNode} (lib/WABinary/types.d.ts) and its decoder: content written as
 * {@code BINARY_8/20/32} decodes to bytes; content written as a token, a packed (nibble/hex) string
 * or a JID decodes to a string; {@code LIST_EMPTY} as content decodes to an empty child list. When
 * encoding, string content goes through the same string rules as attribute values, so a string
 * that is neither a token, packable nor a JID is written as {@code BINARY_*} and reads back as
 * bytes. {@link #contentBytes()} and {@link #contentString()} convert between the two (UTF-8), so
 * callers need not care which form arrived.
 *
 * <p>Attribute values that are JIDs stay strings here, as in Baileys; {@link #attrJid(String)} parses.
 * Instances are immutable; byte content is copied in and out.
 */
public final class Node {

    /** What the content of a node is. */
    public enum ContentKind {
        NONE,
        CHILDREN,
        BYTES,
        STRING
    }

    private final String tag;
    private final Map<String, String> attrs;
    private final Object content; // null | List<Node> (unmodifiable) | byte[] (private copy) | String

    private Node(String tag, Map<String, String> attrs, Object content) {
        this.tag = Objects.requireNonNull(tag, "tag");
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("tag must not be empty");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        attrs.forEach((k, v) -> copy.put(
                Objects.requireNonNull(k, "attribute key"),
                Objects.requireNonNull(v, () -> "attribute value of " + k)));
        this.attrs = Collections.unmodifiableMap(copy);
        this.content = content;
    }

    /** No copies, no checks: for the decoder, whose map, list and array nobody else holds. */
    private Node(String tag, Map<String, String> attrs, Object content, boolean trusted) {
        this.tag = tag;
        this.attrs = attrs.isEmpty() ? Map.of() : Collections.unmodifiableMap(attrs);
        this.content = content;
    }

    /** A node without content. */
    public static Node of(String tag, Map<String, String> attrs) {
        return new Node(tag, attrs, null);
    }

    /** A node without attributes or content. */
    public static Node of(String tag) {
        return new Node(tag, Map.of(), null);
    }

    /** A node whose content is a (possibly empty) list of children. */
    public static Node withChildren(String tag, Map<String, String> attrs, List<Node> children) {
        for (Node c : children) {
            Objects.requireNonNull(c, "child");
        }
        return new Node(tag, attrs, List.copyOf(children));
    }

    /** A node whose content is bytes (written as BINARY_8/20/32). */
    public static Node withBytes(String tag, Map<String, String> attrs, byte[] bytes) {
        return new Node(tag, attrs, bytes.clone());
    }

    /** A node whose content is a string (written with the string rules: token, packed, JID or raw). */
    public static Node withString(String tag, Map<String, String> attrs, String text) {
        return new Node(tag, attrs, Objects.requireNonNull(text, "text"));
    }

    public static Builder builder(String tag) {
        return new Builder(tag);
    }

    /**
     * Used by the decoder, which hands over a fresh LinkedHashMap, an unmodifiable list or a private
     * byte array, a non-empty tag and non-null keys and values.
     */
    static Node trusted(String tag, LinkedHashMap<String, String> attrs, Object content) {
        return new Node(tag, attrs, content, true);
    }

    public String tag() {
        return tag;
    }

    /** The attributes, in wire order; unmodifiable. */
    public Map<String, String> attrs() {
        return attrs;
    }

    /** @return the attribute value, or null when absent */
    public String attr(String key) {
        return attrs.get(key);
    }

    public String attrOr(String key, String fallback) {
        return attrs.getOrDefault(key, fallback);
    }

    /**
     * The attribute parsed as a JID.
     *
     * @return null when the attribute is absent
     * @throws ProtocolException when present but not a JID
     */
    public Jid attrJid(String key) {
        String v = attrs.get(key);
        return v == null ? null : Jid.parse(v);
    }

    /**
     * @return the attribute value
     * @throws ProtocolException when absent
     */
    public String requireAttr(String key) {
        String v = attrs.get(key);
        if (v == null) {
            throw new ProtocolException("<" + tag + "> lacks attribute " + key);
        }
        return v;
    }

    public ContentKind contentKind() {
        if (content == null) {
            return ContentKind.NONE;
        }
        if (content instanceof List<?>) {
            return ContentKind.CHILDREN;
        }
        return content instanceof byte[] ? ContentKind.BYTES : ContentKind.STRING;
    }

    public boolean hasContent() {
        return content != null;
    }

    /** The children; empty when the content is not a child list. */
    @SuppressWarnings("unchecked")
    public List<Node> children() {
        return content instanceof List<?> l ? (List<Node>) l : List.of();
    }

    /** @return the first child with this tag, or null */
    public Node child(String childTag) {
        for (Node c : children()) {
            if (c.tag.equals(childTag)) {
                return c;
            }
        }
        return null;
    }

    /** All children with this tag, in order. */
    public List<Node> children(String childTag) {
        List<Node> out = new ArrayList<>();
        for (Node c : children()) {
            if (c.tag.equals(childTag)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Bytes content (a copy), string content as UTF-8, or null for none/children. */
    public byte[] contentBytes() {
        if (content instanceof byte[] b) {
            return b.clone();
        }
        return content instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
    }

    /** String content, bytes content decoded as UTF-8, or null for none/children. */
    public String contentString() {
        if (content instanceof String s) {
            return s;
        }
        return content instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
    }

    /** The raw content for the encoder (no copy). */
    Object rawContent() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Node n) || !tag.equals(n.tag) || !attrs.equals(n.attrs)) {
            return false;
        }
        // attribute order is part of the wire form
        if (!List.copyOf(attrs.keySet()).equals(List.copyOf(n.attrs.keySet()))) {
            return false;
        }
        if (content instanceof byte[] a && n.content instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        return Objects.equals(content, n.content);
    }

    @Override
    public int hashCode() {
        int h = tag.hashCode() * 31 + attrs.hashCode();
        return h * 31 + (content instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(content));
    }

    /** XML-like, for logs and test failures: {@code <iq id="1" type="get"><ping/></iq>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    private void appendTo(StringBuilder sb) {
        sb.append('<').append(tag);
        attrs.forEach((k, v) -> {
            sb.append(' ').append(k).append("=\"");
            escape(sb, v);
            sb.append('"');
        });
        if (content == null) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        if (content instanceof byte[] b) {
            sb.append("<!--").append(b.length).append(" bytes-->");
            int n = Math.min(b.length, 64);
            for (int i = 0; i < n; i++) {
                sb.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
            }
            if (n < b.length) {
                sb.append("...");
            }
        } else if (content instanceof String s) {
            escape(sb, s);
        } else {
            for (Node c : children()) {
                c.appendTo(sb);
            }
        }
        sb.append("</").append(tag).append('>');
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (c < 0x20) {
                        sb.append("&#").append((int) c).append(';');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }

    /** Mutable builder; {@link #build()} makes the immutable node. */
    public static final class Builder {
        private final String tag;
        private final Map<String, String> attrs = new LinkedHashMap<>();
        private Object content;

        private Builder(String tag) {
            this.tag = tag;
        }

        public Builder attr(String key, String value) {
            attrs.put(key, value);
            return this;
        }

        public Builder attr(String key, Jid value) {
            return attr(key, value.toString());
        }

        public Builder attr(String key, long value) {
            return attr(key, Long.toString(value));
        }

        /** Appends a child; the content becomes a child list. */
        public Builder child(Node child) {
            if (!(content instanceof ArrayList<?>)) {
                content = new ArrayList<Node>();
            }
            @SuppressWarnings("unchecked")
            List<Node> list = (List<Node>) content;
            list.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        public Builder children(List<Node> children) {
            children.forEach(this::child);
            if (!(content instanceof ArrayList<?>)) {
                content = new ArrayList<Node>();
            }
            return this;
        }

        public Builder bytes(byte[] bytes) {
            content = bytes.clone();
            return this;
        }

        public Builder text(String text) {
            content = Objects.requireNonNull(text, "text");
            return this;
        }

        public Node build() {
            Object c = content instanceof List<?> l ? List.copyOf(l) : content;
            return new Node(tag, attrs, c);
        }
    }
}
