package dev.linkwell.client;

import java.util.Objects;
import java.util.OptionalInt;

/** Why an engine could not send a message, in terms a caller can act on. */
public final class SendFailure extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The recipient is not an address a message can go to (a device JID, a group, a malformed JID). */
        BAD_RECIPIENT,
        /** The number has no WhatsApp account: the server knows no device for it. */
        UNKNOWN_NUMBER,
        /** The connection is not open, or ended while sending. */
        NOT_CONNECTED,
        /** The server refused the message ({@link #code()} says with what). */
        REFUSED,
        /** The server did not confirm in time: the message may or may not have been delivered. */
        TIMEOUT,
        /** This engine does not send this kind of message. */
        NOT_SUPPORTED
    }

    private final Kind kind;
    private final int code;

    public SendFailure(Kind kind, String message) {
        this(kind, 0, message);
    }

    /** @param code the server's error code for {@link Kind#REFUSED}, 0 when none */
    public SendFailure(Kind kind, int code, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The server's error code (463, 479, ...) when it refused the message. */
    public OptionalInt code() {
        return code == 0 ? OptionalInt.empty() : OptionalInt.of(code);
    }
}
