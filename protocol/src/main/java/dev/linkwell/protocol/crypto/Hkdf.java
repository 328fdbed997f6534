package dev.linkwell.protocol.crypto;

import java.io.ByteArrayOutputStream;

/** HKDF with HMAC-SHA256 (RFC 5869), written over {@link Hmac}. */
public final class Hkdf {

    private static final int HASH_LEN = 32;

    private Hkdf() {}

    /** PRK = HMAC(salt, ikm); an absent or empty salt means 32 zero bytes. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        byte[] s = (salt == null || salt.length == 0) ? new byte[HASH_LEN] : salt;
        return Hmac.sha256(s, ikm == null ? new byte[0] : ikm);
    }

    /** OKM = T(1) || T(2) ... with T(i) = HMAC(prk, T(i-1) || info || i), truncated to {@code length}. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * HASH_LEN) {
            throw new CryptoException("HKDF output length out of range: " + length);
        }
        byte[] inf = info == null ? new byte[0] : info;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        byte[] t = new byte[0];
        for (int i = 1; out.size() < length; i++) {
            t = Hmac.sha256(prk, t, inf, new byte[] {(byte) i});
            out.write(t, 0, Math.min(t.length, length - out.size()));
        }
        return out.toByteArray();
    }

    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        return expand(extract(salt, ikm), info, length);
    }
}
