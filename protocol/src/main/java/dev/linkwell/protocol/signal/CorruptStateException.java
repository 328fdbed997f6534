package dev.linkwell.protocol.signal;

/** Stored bytes (session, sender key, prekey, identity) do not parse as what they should be. */
public class CorruptStateException extends SignalException {

    public CorruptStateException(String message) {
        super(message);
    }

    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
