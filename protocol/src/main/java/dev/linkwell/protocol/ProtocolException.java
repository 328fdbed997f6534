package dev.linkwell.protocol;

/**
 * Every malformed or unexpected wire input ends here, with a message that says what was wrong.
 * Decoders never let an index, allocation or parse error escape untyped.
 */
public class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
