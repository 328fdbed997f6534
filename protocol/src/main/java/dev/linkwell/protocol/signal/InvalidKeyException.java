package dev.linkwell.protocol.signal;

/**
 * A key is unusable: wrong length or type byte, a low-order curve point, or a signed prekey whose
 * signature does not verify with the bundle's identity key.
 */
public class InvalidKeyException extends SignalException {

    public InvalidKeyException(String message) {
        super(message);
    }

    public InvalidKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
