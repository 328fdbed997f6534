package dev.linkwell.protocol.crypto;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Curve25519 (RFC 7748) key generation and X25519 agreement, implemented by Bouncy Castle's
 * {@code rfc7748.X25519}; plus Signal's 33-byte public key form ({@code 0x05 || key}).
 */
public final class Curve25519 {

    public static final int KEY_SIZE = 32;
    /** Signal's "DJB" key type byte prefixed to public keys on the wire. */
    public static final byte DJB_TYPE = 0x05;

    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();

    private Curve25519() {}

    static SecureRandom defaultRandom() {
        return DEFAULT_RANDOM;
    }

    public static KeyPair generateKeyPair(SecureRandom random) {
        byte[] priv = new byte[KEY_SIZE];
        random.nextBytes(priv);
        priv = clamp(priv);
        return new KeyPair(priv, publicFromPrivate(priv));
    }

    /** RFC 7748 clamping on a copy: clear the low 3 bits, clear bit 255, set bit 254. */
    public static byte[] clamp(byte[] privateKey) {
        requireLength(privateKey, "private key");
        byte[] k = privateKey.clone();
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
        return k;
    }

    /** The Montgomery public key {@code clamp(k)·9}. */
    public static byte[] publicFromPrivate(byte[] privateKey) {
        requireLength(privateKey, "private key");
        byte[] pub = new byte[KEY_SIZE];
        X25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    /**
     * X25519 shared secret. The public key may be 32 bytes or Signal's 33-byte form. An all-zero
     * result (a low-order peer key) is rejected, as Go's x/crypto/curve25519 and OpenSSL (Node) do.
     */
    public static byte[] sharedSecret(byte[] privateKey, byte[] publicKey) {
        requireLength(privateKey, "private key");
        byte[] pub = fromSignalPublicKey(publicKey);
        byte[] out = new byte[KEY_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, pub, 0, out, 0)) {
            throw new CryptoException("X25519 agreement produced the all-zero secret (low-order public key)");
        }
        return out;
    }

    /** {@code 0x05 || key} for a 32-byte key; a 33-byte key with the right prefix is returned as is. */
    public static byte[] toSignalPublicKey(byte[] publicKey) {
        if (publicKey != null && publicKey.length == KEY_SIZE + 1 && publicKey[0] == DJB_TYPE) {
            return publicKey.clone();
        }
        requireLength(publicKey, "public key");
        byte[] out = new byte[KEY_SIZE + 1];
        out[0] = DJB_TYPE;
        System.arraycopy(publicKey, 0, out, 1, KEY_SIZE);
        return out;
    }

    /** Accepts a 32-byte key or a 33-byte {@code 0x05}-prefixed key and returns the 32 raw bytes. */
    public static byte[] fromSignalPublicKey(byte[] publicKey) {
        if (publicKey == null) {
            throw new CryptoException("public key missing");
        }
        if (publicKey.length == KEY_SIZE + 1) {
            if (publicKey[0] != DJB_TYPE) {
                throw new CryptoException("unknown public key type 0x" + Integer.toHexString(publicKey[0] & 0xff));
            }
            byte[] out = new byte[KEY_SIZE];
            System.arraycopy(publicKey, 1, out, 0, KEY_SIZE);
            return out;
        }
        requireLength(publicKey, "public key");
        return publicKey.clone();
    }

    static void requireLength(byte[] key, String what) {
        if (key == null) {
            throw new CryptoException(what + " missing");
        }
        if (key.length != KEY_SIZE) {
            throw new CryptoException(what + " must be 32 bytes, got " + key.length);
        }
    }
}
