package dev.linkwell.protocol.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signatures over Curve25519 keys as Signal, WhatsApp and libsignal-node (curve25519-js
 * {@code curve25519_sign}/{@code curve25519_sign_open}) compute them; 64-byte signatures.
 *
 * <p>Sign: a = clamp(k); A = a·B (Edwards, with its real sign bit); r = SHA-512(0xFE 0xFF*31 || a ||
 * M || Z) mod L with 64 random bytes Z; R = r·B; h = SHA-512(R || A || M) mod L; s = r + h·a mod L;
 * signature = R || s with A's sign bit copied into bit 7 of the last byte.
 *
 * <p>Verify: convert the Montgomery public key u to Edwards y = (u-1)/(u+1), take the sign bit from
 * the signature's last byte, clear it in the signature, then run an ordinary Ed25519 verification
 * (Bouncy Castle {@code rfc8032.Ed25519.verify}, which also insists on a canonical s &lt; L).
 */
public final class XEdDSA {

    public static final int SIGNATURE_SIZE = 64;
    public static final int RANDOM_SIZE = 64;

    private XEdDSA() {}

    /** Signs with 64 fresh random bytes from a default {@link SecureRandom}. */
    public static byte[] sign(byte[] privateKey, byte[] message) {
        byte[] z = new byte[RANDOM_SIZE];
        Curve25519.defaultRandom().nextBytes(z);
        return sign(privateKey, message, z);
    }

    /** Signs {@code message}; {@code random} must be 64 bytes that are never reused. */
    public static byte[] sign(byte[] privateKey, byte[] message, byte[] random) {
        Curve25519.requireLength(privateKey, "private key");
        if (random == null || random.length != RANDOM_SIZE) {
            throw new CryptoException("XEdDSA needs 64 random bytes");
        }
        if (message == null) {
            throw new CryptoException("message missing");
        }
        byte[] a = Curve25519.clamp(privateKey);
        byte[] edPublic = Edwards25519.scalarMultBaseEncoded(a);
        int signBit = edPublic[31] & 0x80;

        MessageDigest sha512 = sha512();
        byte[] prefix = new byte[32];
        java.util.Arrays.fill(prefix, (byte) 0xff);
        prefix[0] = (byte) 0xfe;
        sha512.update(prefix);
        sha512.update(a);
        sha512.update(message);
        sha512.update(random);
        BigInteger r = Edwards25519.fromLittleEndian(sha512.digest()).mod(Edwards25519.L);
        byte[] encodedR = Edwards25519.scalarMultBaseEncoded(Edwards25519.toLittleEndian32(r));

        sha512.reset();
        sha512.update(encodedR);
        sha512.update(edPublic);
        sha512.update(message);
        BigInteger h = Edwards25519.fromLittleEndian(sha512.digest()).mod(Edwards25519.L);
        BigInteger s = r.add(h.multiply(Edwards25519.fromLittleEndian(a))).mod(Edwards25519.L);

        byte[] signature = new byte[SIGNATURE_SIZE];
        System.arraycopy(encodedR, 0, signature, 0, 32);
        System.arraycopy(Edwards25519.toLittleEndian32(s), 0, signature, 32, 32);
        signature[63] = (byte) ((signature[63] & 0x7f) | signBit);
        return signature;
    }

    /**
     * True when {@code signature} is a valid signature of {@code message} by {@code publicKey} (32 bytes
     * or Signal's 33-byte 0x05 form). A wrong-length key or signature is a {@link CryptoException}; a
     * well-formed but wrong signature is {@code false}.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        byte[] u = Curve25519.fromSignalPublicKey(publicKey);
        if (signature == null || signature.length != SIGNATURE_SIZE) {
            throw new CryptoException(
                    "XEdDSA signature must be 64 bytes, got " + (signature == null ? "none" : signature.length));
        }
        if (message == null) {
            throw new CryptoException("message missing");
        }
        byte[] edPublic = Edwards25519.montgomeryToEdwardsY(u);
        edPublic[31] = (byte) ((edPublic[31] & 0x7f) | (signature[63] & 0x80));
        byte[] sig = signature.clone();
        sig[63] &= 0x7f;
        try {
            return Ed25519.verify(sig, 0, edPublic, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 missing from the JDK", e);
        }
    }
}
