package dev.linkwell.protocol.signal;

/**
 * A pre-key message names a one-time prekey or signed prekey we do not have (already used, or never
 * ours). The sender needs fresh keys: a retry receipt with keys.
 */
public class MissingPreKeyException extends SignalException {

    public MissingPreKeyException(String message) {
        super(message);
    }
}
