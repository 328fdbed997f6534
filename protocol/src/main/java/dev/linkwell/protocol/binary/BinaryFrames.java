package dev.linkwell.protocol.binary;

import dev.linkwell.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The flag byte in front of every binary node inside a decrypted transport frame.
 *
 * <p>Byte 0 is a flag; when {@code flag & 2} is set the rest is a zlib stream holding the node,
 * otherwise the rest is the node itself (Baileys 7.0.0-rc14 {@code decode.js}
 * {@code decompressingIfRequired}). Baileys' {@code encodeBinaryNode} always writes flag 0; so does
 * {@link #encodeFrame(Node)}.
 *
 * <p>Inflating is capped at {@link #MAX_INFLATED} bytes (16 MiB, the largest transport frame), so a
 * small compressed frame cannot make us allocate without bound; more is a {@link ProtocolException}.
 */
public final class BinaryFrames {

    public static final int FLAG_COMPRESSED = 2;

    /** Largest inflated payload accepted: 16 MiB, the same bound as a whole transport frame. */
    public static final int MAX_INFLATED = 16 * 1024 * 1024;

    private BinaryFrames() {}

    /**
     * The flag byte 0 followed by the node in today's tables ({@link TokenDictionary#CURRENT}):
     * byte-for-byte what Baileys 7's encodeBinaryNode returns.
     */
    public static byte[] encodeFrame(Node node) {
        return encodeFrame(node, TokenDictionary.CURRENT);
    }

    /** The flag byte 0 followed by the node encoded with the given tables. */
    public static byte[] encodeFrame(Node node, TokenDictionary dictionary) {
        return BinaryEncoder.encodeWithPrefix(0, node, dictionary);
    }

    /** The flag byte 2 followed by the zlib-deflated node, in today's tables. */
    public static byte[] encodeFrameCompressed(Node node) {
        return encodeFrameCompressed(node, TokenDictionary.CURRENT);
    }

    /** The flag byte 2 followed by the zlib-deflated node, encoded with the given tables. */
    public static byte[] encodeFrameCompressed(Node node, TokenDictionary dictionary) {
        byte[] plain = BinaryEncoder.encode(node, dictionary);
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(plain);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 16);
            out.write(FLAG_COMPRESSED);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * Decodes a whole frame payload (flag byte, then the possibly compressed node) with today's
     * tables, {@link TokenDictionary#CURRENT}.
     */
    public static Node decodeFrame(byte[] frame) {
        return decodeFrame(frame, TokenDictionary.CURRENT, MAX_INFLATED);
    }

    /** Decodes a whole frame payload with the given tables. */
    public static Node decodeFrame(byte[] frame, TokenDictionary dictionary) {
        return decodeFrame(frame, dictionary, MAX_INFLATED);
    }

    /** As {@link #decodeFrame(byte[], TokenDictionary)} with a custom inflate cap. */
    public static Node decodeFrame(byte[] frame, TokenDictionary dictionary, int maxInflated) {
        if (frame.length == 0) {
            throw new ProtocolException("binary frame: empty");
        }
        if ((frame[0] & FLAG_COMPRESSED) != 0) {
            byte[] plain = inflate(frame, 1, frame.length - 1, maxInflated);
            return BinaryDecoder.decode(plain, dictionary);
        }
        return BinaryDecoder.decode(frame, 1, frame.length - 1, dictionary);
    }

    /** The node bytes of a frame: inflated when flagged, else the bytes after the flag. */
    public static byte[] unwrap(byte[] frame) {
        if (frame.length == 0) {
            throw new ProtocolException("binary frame: empty");
        }
        if ((frame[0] & FLAG_COMPRESSED) != 0) {
            return inflate(frame, 1, frame.length - 1, MAX_INFLATED);
        }
        return Arrays.copyOfRange(frame, 1, frame.length);
    }

    static byte[] inflate(byte[] data, int off, int len, int maxInflated) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(Math.max(len * 4, 64), maxInflated));
            byte[] chunk = new byte[8192];
            int stalls = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0) {
                    if (inflater.needsDictionary()) {
                        throw new ProtocolException("binary frame: zlib stream wants a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        throw new ProtocolException("binary frame: truncated zlib stream");
                    }
                    if (++stalls > 4) {
                        throw new ProtocolException("binary frame: zlib stream makes no progress");
                    }
                }
                if (out.size() + (long) n > maxInflated) {
                    throw new ProtocolException("binary frame: inflates to more than " + maxInflated + " bytes");
                }
                out.write(chunk, 0, n);
            }
            if (inflater.getRemaining() != 0) {
                throw new ProtocolException(
                        "binary frame: " + inflater.getRemaining() + " bytes after the zlib stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new ProtocolException("binary frame: bad zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
