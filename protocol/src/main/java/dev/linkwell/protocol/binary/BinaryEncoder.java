package dev.linkwell.protocol.binary;

import dev.linkwell.protocol.ProtocolException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link Node} into the WhatsApp Web binary form (without the frame flag byte; see
 * {@link BinaryFrames#encodeFrame(Node)} for what Baileys' {@code encodeBinaryNode} returns), with
 * the token tables of one {@link TokenDictionary} version: the one the connection's intro announced.
 *
 * <p>String rules, in this order (the order of Baileys 7.0.0-rc14 {@code lib/WABinary/encode.js}
 * {@code writeString}): a token (single byte, or DICTIONARY_n + index); a string of at most 127
 * characters from {@code [0-9.-]} packed as NIBBLE_8; one from {@code [0-9A-F]} packed as HEX_8; a
 * string with '@' written as a JID when that is lossless (below); else raw UTF-8 as BINARY_8/20/32.
 *
 * <p>JIDs: {@code user@server} is written as JID_PAIR (empty user as LIST_EMPTY) when the server is
 * non-empty and holds no further '@'. {@code user:device@server} is written as AD_JID (domain type,
 * device, user) when there is exactly one ':', the device is canonical decimal 1..255 and the server
 * is s.whatsapp.net (0), lid (1), hosted (128) or hosted.lid (129). Every other string with '@' is
 * written raw. Baileys instead always writes a string with '@' as a JID and loses information on the
 * way (see docs/protocol-binary.md, "Differences from Baileys"); for every string Baileys writes
 * losslessly, the bytes here are identical.
 */
public final class BinaryEncoder {

    private final TokenDictionary dictionary;
    private byte[] buf = new byte[256];
    private int len;

    private BinaryEncoder(TokenDictionary dictionary) {
        this.dictionary = dictionary;
    }

    /** Encodes one node (no leading flag byte) with today's tables, {@link TokenDictionary#CURRENT}. */
    public static byte[] encode(Node node) {
        return encode(node, TokenDictionary.CURRENT);
    }

    /** Encodes one node (no leading flag byte) with the given tables. */
    public static byte[] encode(Node node, TokenDictionary dictionary) {
        BinaryEncoder e = new BinaryEncoder(dictionary);
        e.writeNode(node, 1);
        return Arrays.copyOf(e.buf, e.len);
    }

    /** Encodes into a buffer that starts with {@code prefix} (used for the frame flag byte). */
    static byte[] encodeWithPrefix(int prefix, Node node, TokenDictionary dictionary) {
        BinaryEncoder e = new BinaryEncoder(dictionary);
        e.push(prefix);
        e.writeNode(node, 1);
        return Arrays.copyOf(e.buf, e.len);
    }

    private void writeNode(Node node, int depth) {
        if (depth > BinaryDecoder.MAX_DEPTH) {
            throw new ProtocolException(
                    "node nesting deeper than " + BinaryDecoder.MAX_DEPTH + " at <" + node.tag() + ">");
        }
        Map<String, String> attrs = node.attrs();
        Object content = node.rawContent();
        long listSize = 2L * attrs.size() + 1 + (content == null ? 0 : 1);
        if (listSize > 0xFFFF) {
            throw new ProtocolException("<" + node.tag() + "> has too many attributes to encode: " + attrs.size());
        }
        writeListStart((int) listSize);
        writeString(node.tag());
        for (Map.Entry<String, String> a : attrs.entrySet()) {
            writeString(a.getKey());
            writeString(a.getValue());
        }
        if (content instanceof String s) {
            writeString(s);
        } else if (content instanceof byte[] b) {
            writeByteLength(b.length);
            pushBytes(b, 0, b.length);
        } else if (content instanceof List<?> children) {
            if (children.size() > 0xFFFF) {
                throw new ProtocolException("<" + node.tag() + "> has too many children to encode: " + children.size());
            }
            writeListStart(children.size());
            for (Object c : children) {
                writeNode((Node) c, depth + 1);
            }
        }
    }

    private void writeListStart(int size) {
        if (size == 0) {
            push(Tags.LIST_EMPTY);
        } else if (size < 256) {
            push(Tags.LIST_8);
            push(size);
        } else {
            push(Tags.LIST_16);
            push(size >> 8);
            push(size);
        }
    }

    private void writeByteLength(int length) {
        if (length >= 1 << 20) {
            push(Tags.BINARY_32);
            push(length >>> 24);
            push(length >> 16);
            push(length >> 8);
            push(length);
        } else if (length >= 256) {
            push(Tags.BINARY_20);
            push((length >> 16) & 0x0F);
            push(length >> 8);
            push(length);
        } else {
            push(Tags.BINARY_8);
            push(length);
        }
    }

    private void writeString(String s) {
        if (s.isEmpty()) {
            // raw and empty, as Baileys 7 (encode.js, since 2026-01 #2189) and whatsmeow write it; Baileys
            // 6.17.16 wrote token 0 instead, which reads back as "" too
            writeByteLength(0);
            return;
        }
        int code = dictionary.code(s);
        if (code >= 0) {
            if (code > 0xFF) {
                push(Tags.DICTIONARY_0 + (code >> 8) - 1);
            }
            push(code & 0xFF);
        } else if (isPackable(s, false)) {
            writePacked(s, Tags.NIBBLE_8);
        } else if (isPackable(s, true)) {
            writePacked(s, Tags.HEX_8);
        } else if (s.indexOf('@') < 0 || !tryWriteJid(s)) {
            writeRaw(s);
        }
    }

    private static boolean isPackable(String s, boolean hex) {
        int n = s.length();
        if (n == 0 || n > Tags.PACKED_MAX) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (hex ? (c >= 'A' && c <= 'F') : (c == '-' || c == '.'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void writePacked(String s, int tag) {
        int n = s.length();
        push(tag);
        push(((n + 1) / 2) | ((n & 1) << 7));
        for (int i = 0; i + 1 < n; i += 2) {
            push(packChar(s.charAt(i), tag) << 4 | packChar(s.charAt(i + 1), tag));
        }
        if ((n & 1) == 1) {
            push(packChar(s.charAt(n - 1), tag) << 4 | 0x0F);
        }
    }

    private static int packChar(char c, int tag) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (tag == Tags.HEX_8) {
            return 10 + (c - 'A');
        }
        return c == '-' ? 10 : 11; // '.'
    }

    private boolean tryWriteJid(String s) {
        int at = s.indexOf('@');
        String server = s.substring(at + 1);
        if (server.isEmpty() || server.indexOf('@') >= 0) {
            return false;
        }
        String user = s.substring(0, at);
        int colon = user.indexOf(':');
        if (colon < 0) {
            push(Tags.JID_PAIR);
            if (user.isEmpty()) {
                push(Tags.LIST_EMPTY); // as Baileys and whatsmeow write an empty user
            } else {
                writeString(user);
            }
            writeString(server);
            return true;
        }
        if (user.indexOf(':', colon + 1) >= 0) {
            return false;
        }
        int device = canonicalDevice(user, colon + 1);
        int domain = domainType(server);
        if (device < 1 || domain < 0) {
            return false;
        }
        push(Tags.AD_JID);
        push(domain);
        push(device);
        writeString(user.substring(0, colon));
        return true;
    }

    /** @return 1..255 when s[from..] is a canonical decimal in that range, else -1 */
    private static int canonicalDevice(String s, int from) {
        int n = s.length() - from;
        if (n < 1 || n > 3 || s.charAt(from) == '0') {
            return -1;
        }
        int v = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 255 ? v : -1;
    }

    static int domainType(String server) {
        return switch (server) {
            case "s.whatsapp.net" -> Tags.DOMAIN_WHATSAPP;
            case "lid" -> Tags.DOMAIN_LID;
            case "hosted" -> Tags.DOMAIN_HOSTED;
            case "hosted.lid" -> Tags.DOMAIN_HOSTED_LID;
            default -> -1;
        };
    }

    private void writeRaw(String s) {
        byte[] utf8 = Utf8.encode(s);
        writeByteLength(utf8.length);
        pushBytes(utf8, 0, utf8.length);
    }

    private void push(int b) {
        if (len == buf.length) {
            grow(1);
        }
        buf[len++] = (byte) b;
    }

    private void pushBytes(byte[] b, int off, int n) {
        if (buf.length - len < n) {
            grow(n);
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void grow(int needed) {
        long target = Math.max((long) buf.length * 2, (long) len + needed);
        if (target > Integer.MAX_VALUE - 16) {
            throw new ProtocolException("encoded node too large");
        }
        buf = Arrays.copyOf(buf, (int) target);
    }
}
