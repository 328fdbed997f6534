package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.ProtocolException;

/**
 * Every failure of the Signal layer. The subclasses say what the caller can do about it; a message
 * that fails never changes the stored state.
 */
public class SignalException extends ProtocolException {

    public SignalException(String message) {
        super(message);
    }

    public SignalException(String message, Throwable cause) {
        super(message, cause);
    }
}
