package dev.linkwell.protocol.crypto;

import dev.linkwell.protocol.ProtocolException;

/** A key, tag, signature or padding did not check out. Always a {@link ProtocolException}. */
public class CryptoException extends ProtocolException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
