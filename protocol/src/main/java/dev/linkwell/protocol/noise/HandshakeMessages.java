package dev.linkwell.protocol.noise;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.proto.HandshakeMessage;

/** Parses handshake envelopes, turning every parse failure into a {@link NoiseException}. */
final class HandshakeMessages {

    private HandshakeMessages() {}

    static HandshakeMessage parse(byte[] bytes, String what) {
        if (bytes == null) {
            throw new NoiseException(what + " missing");
        }
        try {
            return HandshakeMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new NoiseException(what + " is not a valid HandshakeMessage: " + e.getMessage(), e);
        }
    }
}
