package dev.linkwell.protocol.signal;

/**
 * The key for this counter was already used (or, past the skipped-key bounds, dropped): the message
 * was most likely decrypted before, e.g. redelivered after a restart before the ack reached the server.
 */
public class DuplicateMessageException extends SignalException {

    public DuplicateMessageException(String message) {
        super(message);
    }
}
