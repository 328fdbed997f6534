package dev.linkwell.client;

import java.util.Locale;

/**
 * Why an engine's connection ended, and the one place that decides what the service does about it.
 * Codes follow the WhatsApp Web stream-error / Baileys {@code DisconnectReason} numbering where one
 * exists.
 */
public enum DisconnectReason {
    /** The server asks for a fresh socket, normally right after pairing. */
    RESTART_REQUIRED(515, Action.RECONNECT_NOW),
    /** The device was logged out or removed from the phone: the credentials are dead. */
    LOGGED_OUT(401, Action.PURGE),
    /** Another client took over this device's connection. Reconnecting would fight it. */
    REPLACED(440, Action.STOP),
    /** The server refuses this account. */
    FORBIDDEN(403, Action.STOP),
    /** The account is (temporarily) banned. */
    BANNED(402, Action.STOP),
    /** The engine stopped offering QR codes because nobody scanned one in time. */
    QR_REFS_EXHAUSTED(408, Action.STOP),
    /** The connection or a request timed out. Shares 408 with {@link #QR_REFS_EXHAUSTED}. */
    TIMED_OUT(408, Action.RECONNECT_WITH_BACKOFF),
    /** The socket closed or was lost without a more specific reason. */
    CONNECTION_CLOSED(428, Action.RECONNECT_WITH_BACKOFF),
    SERVER_ERROR(500, Action.RECONNECT_WITH_BACKOFF),
    UNAVAILABLE(503, Action.RECONNECT_WITH_BACKOFF),
    /** The server's certificate chain does not lead to the trusted anchor; retrying cannot help. */
    BAD_CERTIFICATE(495, Action.STOP),
    /** Our side closed the connection on purpose (WebSocket normal closure). */
    USER_CLOSED(1000, Action.STOP),
    /** Anything not listed above. */
    UNKNOWN(0, Action.RECONNECT_WITH_BACKOFF);

    /** What the session owner does after a disconnect. */
    public enum Action {
        /** Open a new socket at once with the same credentials. */
        RECONNECT_NOW,
        /** Open a new socket after an exponential, jittered delay. */
        RECONNECT_WITH_BACKOFF,
        /** Stay closed, keep the credentials. */
        STOP,
        /** Stay closed and delete the credentials. */
        PURGE
    }

    private final int code;
    private final Action action;

    DisconnectReason(int code, Action action) {
        this.code = code;
        this.action = action;
    }

    public int code() {
        return code;
    }

    public Action action() {
        return action;
    }

    /**
     * The reason for a numeric code as received from the server. 408 maps to {@link #TIMED_OUT};
     * an engine that knows its QR refs ran out reports {@link #QR_REFS_EXHAUSTED} itself.
     */
    public static DisconnectReason fromCode(int code) {
        return switch (code) {
            case 515 -> RESTART_REQUIRED;
            case 401 -> LOGGED_OUT;
            case 440 -> REPLACED;
            case 403 -> FORBIDDEN;
            case 402 -> BANNED;
            case 408 -> TIMED_OUT;
            case 428 -> CONNECTION_CLOSED;
            case 500 -> SERVER_ERROR;
            case 503 -> UNAVAILABLE;
            case 495 -> BAD_CERTIFICATE;
            case 1000 -> USER_CLOSED;
            default -> UNKNOWN;
        };
    }

    /** Lower-case name used on the wire, e.g. {@code logged_out}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
