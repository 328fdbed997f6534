package dev.linkwell.protocol.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Curve25519 key pair: 32-byte private scalar (stored clamped) and 32-byte Montgomery public key.
 * The same pair serves X25519 key agreement and XEdDSA signatures, as in Signal and WhatsApp.
 * Arrays are copied in and out; {@link #toString()} never prints the private key.
 */
public record KeyPair(byte[] privateKey, byte[] publicKey) {

    public KeyPair {
        if (privateKey == null || privateKey.length != Curve25519.KEY_SIZE) {
            throw new CryptoException("private key must be 32 bytes");
        }
        if (publicKey == null || publicKey.length != Curve25519.KEY_SIZE) {
            throw new CryptoException("public key must be 32 bytes");
        }
        privateKey = privateKey.clone();
        publicKey = publicKey.clone();
    }

    /** A fresh pair from the given random source (private key clamped). */
    public static KeyPair generate(SecureRandom random) {
        return Curve25519.generateKeyPair(random);
    }

    /** A fresh pair from a default {@link SecureRandom}. */
    public static KeyPair generate() {
        return Curve25519.generateKeyPair(Curve25519.defaultRandom());
    }

    /** Rebuilds a pair from a stored private key (clamped here; unclamped input is accepted). */
    public static KeyPair fromPrivateKey(byte[] privateKey) {
        byte[] clamped = Curve25519.clamp(privateKey);
        return new KeyPair(clamped, Curve25519.publicFromPrivate(clamped));
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key with Signal's 0x05 type prefix (33 bytes). */
    public byte[] signalPublicKey() {
        return Curve25519.toSignalPublicKey(publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPair other
                && Arrays.equals(privateKey, other.privateKey)
                && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "KeyPair[public=" + HexFormat.of().formatHex(publicKey) + ", private=<redacted>]";
    }
}
