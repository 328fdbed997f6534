package dev.linkwell.protocol.signal;

/**
 * The message failed authentication: the 8-byte MAC of a {@code msg}/{@code pkmsg}, or the signature of
 * an {@code skmsg}, does not verify with any session we hold. Either it was corrupted or forged, or it
 * belongs to a session we do not have.
 */
public class BadMacException extends SignalException {

    public BadMacException(String message) {
        super(message);
    }
}
