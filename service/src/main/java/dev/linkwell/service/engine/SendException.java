package dev.linkwell.service.engine;

import java.util.Objects;

/** Why a message could not be sent; {@link Kind} decides the HTTP status the API answers with. */
public class SendException extends RuntimeException {

    /** What went wrong, as a client can act on it. */
    public enum Kind {
        /** The recipient is not an address WhatsApp can deliver to. */
        BAD_RECIPIENT,
        /** The phone number has no WhatsApp account. */
        UNKNOWN_NUMBER,
        /** The session's connection is not open (it dropped while sending). */
        NOT_READY,
        /** WhatsApp refused or failed the send (an error answer such as 463, or 5xx). */
        SERVER_ERROR,
        /** WhatsApp or the engine did not answer in time; the message may or may not have gone out. */
        TIMEOUT,
        /** The engine is down (its process died while sending). */
        ENGINE_UNAVAILABLE,
        /** This engine cannot send yet. */
        NOT_IMPLEMENTED
    }

    private final Kind kind;

    public SendException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
