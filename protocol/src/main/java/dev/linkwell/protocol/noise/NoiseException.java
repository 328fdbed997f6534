package dev.linkwell.protocol.noise;

import dev.linkwell.protocol.ProtocolException;

/** A handshake message or transport frame was malformed, out of order or failed to authenticate. */
public class NoiseException extends ProtocolException {

    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
