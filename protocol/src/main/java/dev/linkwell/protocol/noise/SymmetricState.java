package dev.linkwell.protocol.noise;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.Aes;
import dev.linkwell.protocol.crypto.Hkdf;
import dev.linkwell.protocol.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The handshake's running hash h, chaining key ck and cipher key k with its nonce counter, as WhatsApp
 * runs them (Baileys 6.17.16 lib/Utils/noise-handler.js, whatsmeow socket/noisehandshake.go):
 * h = ck = k = the 32-byte protocol name used as is; MixHash(x): h = SHA-256(h || x); MixKey(ikm):
 * HKDF-SHA256(salt = ck, ikm, info = "", 64 bytes) gives ck (first 32) and k (last 32), counter = 0;
 * Encrypt/Decrypt: AES-256-GCM with AAD = h and IV = 8 zero bytes || uint32 BE counter, then MixHash of
 * the ciphertext. One counter serves both directions during the handshake.
 */
final class SymmetricState {

    /** "Noise_XX_25519_AESGCM_SHA256" padded with four NULs to exactly 32 bytes (Baileys NOISE_MODE). */
    static final byte[] PROTOCOL_NAME = "Noise_XX_25519_AESGCM_SHA256\0\0\0\0".getBytes(StandardCharsets.US_ASCII);

    private byte[] hash;
    private byte[] chainingKey;
    private byte[] key;
    private long counter;

    SymmetricState(byte[] prologue) {
        hash = PROTOCOL_NAME.clone();
        chainingKey = hash;
        key = hash;
        mixHash(prologue);
    }

    private SymmetricState(SymmetricState other) {
        hash = other.hash;
        chainingKey = other.chainingKey;
        key = other.key;
        counter = other.counter;
    }

    SymmetricState copy() {
        return new SymmetricState(this);
    }

    void mixHash(byte[] data) {
        hash = Hmac.sha256Digest(hash, data);
    }

    void mixKey(byte[] inputKeyMaterial) {
        byte[] okm = Hkdf.derive(inputKeyMaterial, chainingKey, new byte[0], 64);
        chainingKey = Arrays.copyOfRange(okm, 0, 32);
        key = Arrays.copyOfRange(okm, 32, 64);
        counter = 0;
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] ciphertext = Aes.gcmEncrypt(key, iv(counter), plaintext, hash);
        counter++;
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] ciphertext) {
        byte[] plaintext = Aes.gcmDecrypt(key, iv(counter), ciphertext, hash);
        counter++;
        mixHash(ciphertext);
        return plaintext;
    }

    /** DecryptAndHash of an inbound handshake field; a failure is a {@link NoiseException} naming the field. */
    byte[] decryptAndHash(byte[] ciphertext, String what) {
        try {
            return decryptAndHash(ciphertext);
        } catch (NoiseException e) {
            throw e;
        } catch (ProtocolException e) {
            throw new NoiseException(what + " failed to decrypt: " + e.getMessage(), e);
        }
    }

    /** Split: HKDF(ck, empty) -> first 32 bytes = initiator-to-responder key, last 32 = the reverse. */
    NoiseTransport split(boolean initiator) {
        byte[] okm = Hkdf.derive(new byte[0], chainingKey, new byte[0], 64);
        byte[] first = Arrays.copyOfRange(okm, 0, 32);
        byte[] second = Arrays.copyOfRange(okm, 32, 64);
        return initiator ? new NoiseTransport(first, second) : new NoiseTransport(second, first);
    }

    static byte[] iv(long counter) {
        if (counter > 0xFFFF_FFFFL) {
            throw new NoiseException("nonce counter exhausted");
        }
        byte[] iv = new byte[12];
        iv[8] = (byte) (counter >>> 24);
        iv[9] = (byte) (counter >>> 16);
        iv[10] = (byte) (counter >>> 8);
        iv[11] = (byte) counter;
        return iv;
    }
}
