package dev.linkwell.protocol.signal;

/**
 * There is no session (or no sender key) to encrypt or decrypt with. For an incoming message the
 * usual answer is a retry receipt, so the sender starts over with a pre-key message or a new sender
 * key distribution message.
 */
public class NoSessionException extends SignalException {

    public NoSessionException(String message) {
        super(message);
    }
}
