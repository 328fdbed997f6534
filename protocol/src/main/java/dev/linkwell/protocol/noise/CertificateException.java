package dev.linkwell.protocol.noise;

/** The server's certificate chain failed one named check; the handshake must be abandoned. */
public class CertificateException extends NoiseException {

    /** Which check failed, in the order they are made. */
    public enum Check {
        MALFORMED_CHAIN,
        INTERMEDIATE_SIGNATURE,
        INTERMEDIATE_ISSUER_SERIAL,
        INTERMEDIATE_KEY,
        LEAF_SIGNATURE,
        INTERMEDIATE_VALIDITY,
        LEAF_ISSUER_SERIAL,
        LEAF_KEY_MISMATCH,
        LEAF_VALIDITY
    }

    private final Check check;

    public CertificateException(Check check, String message) {
        super("server certificate rejected (" + check + "): " + message);
        this.check = check;
    }

    public CertificateException(Check check, String message, Throwable cause) {
        super("server certificate rejected (" + check + "): " + message, cause);
        this.check = check;
    }

    public Check check() {
        return check;
    }
}
