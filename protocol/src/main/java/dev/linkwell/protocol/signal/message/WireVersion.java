package dev.linkwell.protocol.signal.message;

import dev.linkwell.protocol.signal.InvalidMessageException;

/**
 * The one-byte prefix of every Signal wire message: {@code (version << 4) | version} with version 3,
 * i.e. 0x33 (libsignal-node session_cipher.js _encodeTupleByte(3, 3); Baileys
 * Signal/Group/ciphertext-message.js CURRENT_VERSION = 3).
 */
final class WireVersion {

    static final int CURRENT = 3;
    static final byte BYTE = (byte) ((CURRENT << 4) | CURRENT);

    private WireVersion() {
    }

    /** Accepts only message version 3 in the high nibble, as libsignal's Java and Go ports do. */
    static void check(byte[] message, String what) {
        if (message == null || message.length == 0) {
            throw new InvalidMessageException(what + " is empty");
        }
        int version = (message[0] & 0xff) >> 4;
        if (version != CURRENT) {
            throw new InvalidMessageException(what + " has unsupported version " + version);
        }
    }
}
