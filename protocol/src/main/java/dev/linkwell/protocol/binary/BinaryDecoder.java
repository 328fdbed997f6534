package dev.linkwell.protocol.binary;

import dev.linkwell.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Decodes the WhatsApp Web binary node form (without the frame flag byte; see
 * {@link BinaryFrames#decodeFrame(byte[])} for whole frames).
 *
 * <p>Strings come from the token tables of one {@link TokenDictionary} version, the one the
 * connection's intro announced. Semantics follow Baileys 7.0.0-rc14 {@code lib/WABinary/decode.js}
 * (unchanged from 6.17.16 but for tags 245 and 246): content that is a list tag
 * becomes children (LIST_EMPTY: an empty list), BINARY_8/20/32 content becomes bytes, any other
 * content tag is read as a string (token, packed, JID). Raw strings are UTF-8 with malformed
 * sequences replaced by U+FFFD, as Baileys and whatsmeow accept them.
 *
 * <p>Stricter than Baileys (each is a {@link ProtocolException}, never an unchecked error):
 * truncated input; trailing bytes after the node; unknown tags (240..244); list sizes
 * that cannot fit in the remaining input; a length beyond the remaining input (nothing is ever
 * allocated from a length before that check); nesting deeper than {@link #MAX_DEPTH}; a JID inside
 * a JID; a JID pair without server; an AD_JID domain type other than 0, 1, 128, 129; a nibble
 * 12..14, or 15 anywhere but the padding; an odd-length flag on an empty packed string; a
 * BINARY_20 length with its top four bits set; duplicate attribute keys; an empty tag.
 */
public final class BinaryDecoder {

    /** Deepest node nesting accepted (the root node is depth 1). */
    public static final int MAX_DEPTH = 64;

    /** The smallest node on the wire: LIST_8, size 1, one-byte tag. */
    private static final int MIN_NODE_BYTES = 3;

    private final TokenDictionary dictionary;
    private final byte[] buf;
    private final int end;
    private int pos;

    private BinaryDecoder(TokenDictionary dictionary, byte[] buf, int offset, int end) {
        this.dictionary = dictionary;
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    /** Decodes exactly one node filling all of {@code data}, with {@link TokenDictionary#CURRENT}. */
    public static Node decode(byte[] data) {
        return decode(data, 0, data.length, TokenDictionary.CURRENT);
    }

    /** Decodes exactly one node filling all of {@code data} with the given tables. */
    public static Node decode(byte[] data, TokenDictionary dictionary) {
        return decode(data, 0, data.length, dictionary);
    }

    /** Decodes exactly one node filling {@code data[offset, offset + length)} with the given tables. */
    public static Node decode(byte[] data, int offset, int length, TokenDictionary dictionary) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + data.length);
        }
        BinaryDecoder d = new BinaryDecoder(dictionary, data, offset, offset + length);
        Node node = d.readNode(1);
        if (d.pos != d.end) {
            throw new ProtocolException(
                    (d.end - d.pos) + " trailing bytes after the node at offset " + (d.pos - offset));
        }
        return node;
    }

    private Node readNode(int depth) {
        if (depth > MAX_DEPTH) {
            throw fail("nodes nested deeper than " + MAX_DEPTH);
        }
        int listTag = readByte();
        if (!isListTag(listTag)) {
            throw fail("node must start with a list tag, got " + listTag);
        }
        int size = readListSize(listTag);
        if (size == 0) {
            throw fail("node with an empty list");
        }
        String tag = readString(readByte());
        if (tag.isEmpty()) {
            throw fail("node with an empty tag");
        }
        int attrCount = (size - 1) >> 1;
        if (2L * attrCount > remaining()) {
            throw fail(attrCount + " attributes cannot fit in " + remaining() + " bytes");
        }
        LinkedHashMap<String, String> attrs = new LinkedHashMap<>(Math.max(4, attrCount * 2));
        for (int i = 0; i < attrCount; i++) {
            String key = readString(readByte());
            String value = readString(readByte());
            if (attrs.putIfAbsent(key, value) != null) {
                throw fail("duplicate attribute " + abbreviate(key) + " in <" + abbreviate(tag) + ">");
            }
        }
        Object content = null;
        if ((size & 1) == 0) {
            int t = readByte();
            if (isListTag(t)) {
                content = readChildren(readListSize(t), depth);
            } else if (t == Tags.BINARY_8 || t == Tags.BINARY_20 || t == Tags.BINARY_32) {
                int n = readByteLength(t);
                content = Arrays.copyOfRange(buf, pos, pos + n);
                pos += n;
            } else {
                content = readString(t);
            }
        }
        return Node.trusted(tag, attrs, content);
    }

    private List<Node> readChildren(int count, int depth) {
        if ((long) count * MIN_NODE_BYTES > remaining()) {
            throw fail("list of " + count + " nodes cannot fit in " + remaining() + " bytes");
        }
        List<Node> children = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            children.add(readNode(depth + 1));
        }
        return List.copyOf(children);
    }

    private static boolean isListTag(int t) {
        return t == Tags.LIST_EMPTY || t == Tags.LIST_8 || t == Tags.LIST_16;
    }

    private int readListSize(int tag) {
        return switch (tag) {
            case Tags.LIST_EMPTY -> 0;
            case Tags.LIST_8 -> readByte();
            case Tags.LIST_16 -> (readByte() << 8) | readByte();
            default -> throw fail("not a list tag: " + tag);
        };
    }

    /** Reads a BINARY_8/20/32 length and checks it against the remaining input. */
    private int readByteLength(int tag) {
        long n;
        if (tag == Tags.BINARY_8) {
            n = readByte();
        } else if (tag == Tags.BINARY_20) {
            int b0 = readByte();
            if ((b0 & 0xF0) != 0) {
                throw fail("BINARY_20 length with high bits set: " + b0);
            }
            n = ((long) b0 << 16) | (readByte() << 8) | readByte();
        } else {
            n = ((long) readByte() << 24) | (readByte() << 16) | (readByte() << 8) | readByte();
        }
        if (n > remaining()) {
            throw fail("length " + n + " exceeds the " + remaining() + " remaining bytes");
        }
        return (int) n;
    }

    private String readString(int tag) {
        if (tag >= 1 && tag <= Tags.SINGLE_BYTE_MAX) {
            return dictionary.single(tag);
        }
        switch (tag) {
            case Tags.LIST_EMPTY:
                return "";
            case Tags.DICTIONARY_0, Tags.DICTIONARY_1, Tags.DICTIONARY_2, Tags.DICTIONARY_3: {
                int index = readByte();
                String s = dictionary.doubleByte(tag - Tags.DICTIONARY_0, index);
                if (s == null) {
                    throw fail("no double-byte token " + (tag - Tags.DICTIONARY_0) + "/" + index);
                }
                return s;
            }
            case Tags.BINARY_8, Tags.BINARY_20, Tags.BINARY_32: {
                int n = readByteLength(tag);
                String s = Utf8.decode(buf, pos, n);
                pos += n;
                return s;
            }
            case Tags.JID_PAIR:
                return readJidPair();
            case Tags.AD_JID:
                return readAdJid();
            case Tags.FB_JID:
                return readFbJid();
            case Tags.INTEROP_JID:
                return readInteropJid();
            case Tags.NIBBLE_8, Tags.HEX_8:
                return readPacked(tag);
            default:
                throw fail("unexpected tag " + tag + " where a string was expected");
        }
    }

    private String readJidPart(String what) {
        int tag = readByte();
        if (tag == Tags.JID_PAIR || tag == Tags.AD_JID || tag == Tags.FB_JID || tag == Tags.INTEROP_JID) {
            throw fail("JID nested in the " + what + " of a JID");
        }
        return readString(tag);
    }

    private String readJidPair() {
        String user = readJidPart("user");
        String server = readJidPart("server");
        if (server.isEmpty()) {
            throw fail("JID pair without server");
        }
        return user + '@' + server;
    }

    private String readAdJid() {
        int domain = readByte();
        int device = readByte();
        String user = readJidPart("user");
        String server = switch (domain) {
            case Tags.DOMAIN_WHATSAPP -> "s.whatsapp.net";
            case Tags.DOMAIN_LID -> "lid";
            case Tags.DOMAIN_HOSTED -> "hosted";
            case Tags.DOMAIN_HOSTED_LID -> "hosted.lid";
            default -> throw fail("unknown AD_JID domain type " + domain);
        };
        // as Baileys jidEncode: device 0 is not written
        return device == 0 ? user + '@' + server : user + ':' + device + '@' + server;
    }

    /**
     * {@code user:device@msgr}, the form Baileys 7 {@code readFbJid} gives (device printed even when
     * 0); the server must be {@code msgr}, as whatsmeow {@code readFBJID} requires.
     */
    private String readFbJid() {
        String user = readJidPart("user");
        int device = readUint16();
        String server = readJidPart("server");
        if (!"msgr".equals(server)) {
            throw fail("FB_JID on server " + abbreviate(server) + ", expected \"msgr\"");
        }
        return user + ':' + device + '@' + server;
    }

    /**
     * {@code integrator-user:device@interop}, the form Baileys 7 {@code readInteropJid} gives (it keeps
     * the integrator); the server must be {@code interop}, as whatsmeow {@code readInteropJID} requires.
     */
    private String readInteropJid() {
        String user = readJidPart("user");
        int device = readUint16();
        int integrator = readUint16();
        String server = readJidPart("server");
        if (!"interop".equals(server)) {
            throw fail("INTEROP_JID on server " + abbreviate(server) + ", expected \"interop\"");
        }
        return integrator + "-" + user + ':' + device + '@' + server;
    }

    private int readUint16() {
        return (readByte() << 8) | readByte();
    }

    private String readPacked(int tag) {
        int head = readByte();
        int n = head & 0x7F;
        boolean odd = (head & 0x80) != 0;
        if (odd && n == 0) {
            throw fail("packed string with odd flag and no bytes");
        }
        if (n > remaining()) {
            throw fail("packed length " + n + " exceeds the " + remaining() + " remaining bytes");
        }
        char[] out = new char[2 * n - (odd ? 1 : 0)];
        int o = 0;
        for (int i = 0; i < n; i++) {
            int b = buf[pos++] & 0xFF;
            out[o++] = unpack(tag, b >> 4);
            if (odd && i == n - 1) {
                // padding nibble: Baileys unpacks it too (so 12..14 fail there) and then drops it
                if (tag == Tags.NIBBLE_8 && (b & 0x0F) > 11 && (b & 0x0F) != 15) {
                    throw fail("bad nibble " + (b & 0x0F) + " in padding");
                }
            } else {
                out[o++] = unpack(tag, b & 0x0F);
            }
        }
        return new String(out);
    }

    private char unpack(int tag, int v) {
        if (tag == Tags.HEX_8) {
            return (char) (v < 10 ? '0' + v : 'A' + v - 10);
        }
        if (v <= 9) {
            return (char) ('0' + v);
        }
        if (v == 10) {
            return '-';
        }
        if (v == 11) {
            return '.';
        }
        throw fail("bad nibble " + v + (v == 15 ? " (padding before the end)" : ""));
    }

    private int readByte() {
        if (pos >= end) {
            throw fail("unexpected end of input");
        }
        return buf[pos++] & 0xFF;
    }

    private int remaining() {
        return end - pos;
    }

    private ProtocolException fail(String message) {
        return new ProtocolException("binary node: " + message + " (at byte " + pos + ")");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? '"' + s + '"' : '"' + s.substring(0, 40) + "...\"";
    }
}
