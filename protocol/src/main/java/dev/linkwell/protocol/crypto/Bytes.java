package dev.linkwell.protocol.crypto;

/** Byte-array helpers the key schedules and the stanzas share. */
public final class Bytes {

    private Bytes() {}

    /** The parts, one after another. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** {@code value} as {@code length} big-endian bytes (the low bytes when it does not fit). */
    public static byte[] bigEndian(int value, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[length - 1 - i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    /** Big-endian bytes read as an unsigned number. */
    public static long bigEndian(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }
}
