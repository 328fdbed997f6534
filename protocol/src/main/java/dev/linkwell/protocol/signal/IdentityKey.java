package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.Curve25519;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A peer's public identity key (Curve25519). Serialized as libsignal does, with the 0x05 type byte:
 * 33 bytes. Equality is constant-time.
 */
public final class IdentityKey {

    public static final int SERIALIZED_SIZE = Curve25519.KEY_SIZE + 1;

    private final byte[] publicKey;

    private IdentityKey(byte[] publicKey) {
        this.publicKey = publicKey;
    }

    /**
     * From 33 bytes ({@code 0x05 || key}) or the bare 32-byte key (libsignal-node accepts both, with a
     * warning for the bare form).
     */
    public static IdentityKey of(byte[] key) {
        return new IdentityKey(SignalKeys.publicKey(key, "identity key"));
    }

    /** Parses stored bytes ({@link #serialize()}); a {@link CorruptStateException} when they are not a key. */
    public static IdentityKey parse(byte[] stored) {
        try {
            return of(stored);
        } catch (InvalidKeyException e) {
            throw new CorruptStateException("stored identity is not a key: " + e.getMessage(), e);
        }
    }

    /** The 32-byte Montgomery public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** {@code 0x05 || key}, 33 bytes: the form in pre-key messages, MACs and storage. */
    public byte[] serialize() {
        return Curve25519.toSignalPublicKey(publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKey other && MessageDigest.isEqual(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "IdentityKey[" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
