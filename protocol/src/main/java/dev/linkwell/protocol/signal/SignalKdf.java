package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.Hkdf;
import dev.linkwell.protocol.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key derivations of Signal as libsignal-node 6.0.0 (src/crypto.js deriveSecrets, session_builder.js,
 * session_cipher.js) and Baileys' sender keys (Signal/Group/sender-chain-key.js, sender-message-key.js)
 * compute them. deriveSecrets(input, salt, info) is HKDF-SHA256 whose output is cut into 32-byte chunks.
 */
final class SignalKdf {

    static final byte[] ZERO_SALT = new byte[32];
    /** X3DH master secret: HKDF(0xFF*32 || DH1..DH4, zero salt, "WhisperText") -> root key, chain key. */
    static final byte[] INFO_TEXT = ascii("WhisperText");
    /** DH ratchet step: HKDF(DH, salt = root key, "WhisperRatchet") -> new root key, chain key. */
    static final byte[] INFO_RATCHET = ascii("WhisperRatchet");
    /** Message keys: HKDF(seed, zero salt, "WhisperMessageKeys", 80) -> AES key, MAC key, IV. */
    static final byte[] INFO_MESSAGE_KEYS = ascii("WhisperMessageKeys");
    /** Sender (group) message keys: HKDF(seed, zero salt, "WhisperGroup", 48) -> IV, AES key. */
    static final byte[] INFO_GROUP = ascii("WhisperGroup");

    private static final byte[] MESSAGE_KEY_SEED = {0x01};
    private static final byte[] CHAIN_KEY_SEED = {0x02};

    private SignalKdf() {}

    /** {@code chunks} 32-byte chunks of HKDF(ikm, salt, info). */
    static byte[][] derive(byte[] ikm, byte[] salt, byte[] info, int chunks) {
        byte[] out = Hkdf.derive(ikm, salt, info, 32 * chunks);
        byte[][] parts = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            parts[i] = Arrays.copyOfRange(out, 32 * i, 32 * (i + 1));
        }
        return parts;
    }

    /** The message key seed of a chain step: HMAC(chainKey, 0x01). */
    static byte[] messageKeySeed(byte[] chainKey) {
        return Hmac.sha256(chainKey, MESSAGE_KEY_SEED);
    }

    /** The next chain key: HMAC(chainKey, 0x02). */
    static byte[] nextChainKey(byte[] chainKey) {
        return Hmac.sha256(chainKey, CHAIN_KEY_SEED);
    }

    /** AES-256-CBC key, HMAC key and IV of one 1:1 message. */
    record MessageKeys(byte[] cipherKey, byte[] macKey, byte[] iv) {
        static MessageKeys of(byte[] seed) {
            byte[][] k = derive(seed, ZERO_SALT, INFO_MESSAGE_KEYS, 3);
            return new MessageKeys(k[0], k[1], Arrays.copyOf(k[2], 16));
        }
    }

    /** AES-256-CBC key and IV of one group message: IV = bytes 0..16, key = bytes 16..48 of the HKDF output. */
    record GroupMessageKey(byte[] iv, byte[] cipherKey) {
        static GroupMessageKey of(byte[] seed) {
            byte[] out = Hkdf.derive(seed, ZERO_SALT, INFO_GROUP, 48);
            return new GroupMessageKey(Arrays.copyOf(out, 16), Arrays.copyOfRange(out, 16, 48));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
