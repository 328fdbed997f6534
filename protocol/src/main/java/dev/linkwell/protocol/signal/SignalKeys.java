package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.CryptoException;
import dev.linkwell.protocol.crypto.Curve25519;
import java.security.SecureRandom;

/** Key helpers shared by the Signal layer: public key parsing, agreement with typed errors, ids. */
public final class SignalKeys {

    /** Largest registration id: 14 bits (libsignal-node keyhelper, Baileys generateRegistrationId). */
    public static final int MAX_REGISTRATION_ID = 0x3fff;

    private SignalKeys() {}

    /**
     * A public key from its 33-byte Signal form ({@code 0x05 || key}) or the bare 32 bytes;
     * {@link InvalidKeyException} for anything else.
     */
    public static byte[] publicKey(byte[] key, String what) {
        if (key == null) {
            throw new InvalidKeyException(what + " missing");
        }
        if (key.length == Curve25519.KEY_SIZE + 1 && key[0] != Curve25519.DJB_TYPE) {
            throw new InvalidKeyException(what + " has unknown type byte 0x" + Integer.toHexString(key[0] & 0xff));
        }
        if (key.length != Curve25519.KEY_SIZE && key.length != Curve25519.KEY_SIZE + 1) {
            throw new InvalidKeyException(what + " must be 33 bytes (or 32), got " + key.length);
        }
        return Curve25519.fromSignalPublicKey(key);
    }

    /** X25519; a low-order peer key (all-zero secret) is an {@link InvalidKeyException}. */
    public static byte[] agree(byte[] privateKey, byte[] publicKey) {
        try {
            return Curve25519.sharedSecret(privateKey, publicKey);
        } catch (CryptoException e) {
            throw new InvalidKeyException("key agreement failed: " + e.getMessage(), e);
        }
    }

    /** A registration id in 1..16383 (0 is avoided: some clients treat it as "absent"). */
    public static int generateRegistrationId(SecureRandom random) {
        return 1 + random.nextInt(MAX_REGISTRATION_ID);
    }
}
