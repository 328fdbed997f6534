package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

/**
 * The framing every Signal wire message shares: one version byte {@code (version << 4) | version} with
 * version 3, i.e. 0x33 (libsignal-node session_cipher.js _encodeTupleByte(3, 3); Baileys
 * Signal/Group/ciphertext-message.js CURRENT_VERSION = 3), then a protobuf body, then for some a
 * fixed-size trailer (MAC or signature).
 */
final class WireFormat {

    static final int VERSION = 3;
    static final byte VERSION_BYTE = (byte) ((VERSION << 4) | VERSION);

    private WireFormat() {}

    /** {@code 0x33 || body} followed by {@code trailer} zero bytes for the caller to fill. */
    static byte[] frame(byte[] body, int trailer) {
        byte[] out = new byte[1 + body.length + trailer];
        out[0] = VERSION_BYTE;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * The protobuf body of a message whose last {@code trailer} bytes are not part of it. Only message
     * version 3 (the high nibble) is accepted, as libsignal's Java and Go ports do.
     */
    static <T> T body(byte[] message, int trailer, Parser<T> parser, String what) {
        if (message == null || message.length == 0) {
            throw new InvalidMessageException(what + " is empty");
        }
        int version = (message[0] & 0xff) >> 4;
        if (version != VERSION) {
            throw new InvalidMessageException(what + " has unsupported version " + version);
        }
        if (message.length < 1 + trailer) {
            throw new InvalidMessageException(what + " too short: " + message.length + " bytes");
        }
        try {
            return parser.parseFrom(message, 1, message.length - 1 - trailer);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidMessageException(what + " does not parse", e);
        }
    }

    /** A public key field (33 bytes with 0x05, or 32); a malformed one makes the message invalid. */
    static byte[] publicKey(ByteString field, String what) {
        try {
            return SignalKeys.publicKey(field.toByteArray(), what);
        } catch (InvalidKeyException e) {
            throw new InvalidMessageException(e.getMessage(), e);
        }
    }
}
