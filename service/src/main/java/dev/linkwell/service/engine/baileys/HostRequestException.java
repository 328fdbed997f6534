package dev.linkwell.service.engine.baileys;

/**
 * A request over the stdio link failed: the other side answered with an error ({@code code} is its code, such as
 * {@code not_ready} or {@code unknown_op}), or no answer came ({@code timeout}, {@code closed}), or the request
 * could not be sent ({@code too_large}).
 */
final class HostRequestException extends RuntimeException {

    private final String code;

    HostRequestException(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
