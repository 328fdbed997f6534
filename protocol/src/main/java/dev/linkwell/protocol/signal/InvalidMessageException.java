package dev.linkwell.protocol.signal;

/**
 * The bytes are not a message we can use: malformed, unsupported version, a counter too far ahead, a
 * closed chain, bad block-cipher padding or bad WhatsApp padding.
 */
public class InvalidMessageException extends SignalException {

    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
