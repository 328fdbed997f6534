package dev.linkwell.client;

import java.util.Locale;

/**
 * Why an engine's connection ended, and the one place that decides what the service does about it.
 * Codes follow WhatsApp's numbering ({@code <failure reason>}, {@code <stream:error code>}, Baileys'
 * {@code DisconnectReason}) where one exists.
 *
 * <p>The two tables below ({@link #forFailure}, {@link #forStreamError}) are the whole mapping from
 * what the server says to what happens; the source of each row is named beside it.
 */
public enum DisconnectReason {
    /** The server asks for a fresh socket, normally right after pairing. */
    RESTART_REQUIRED(515, Action.RECONNECT_NOW),
    /** Logged out, the main device gone, or banned: the credentials are dead (whatsmeow IsLoggedOut). */
    LOGGED_OUT(401, Action.PURGE),
    /** Another client took over this device's connection. Reconnecting would fight it. */
    REPLACED(440, Action.STOP),
    /** A temporary ban ({@code <failure reason="402" code expire>}): keep the credentials, do not retry before it ends. */
    TEMPORARILY_BANNED(402, Action.STOP),
    /** The server refuses the WhatsApp Web version we report; retrying cannot help until it changes. */
    CLIENT_OUTDATED(405, Action.STOP),
    /** The server refuses our user agent. */
    USER_AGENT_REJECTED(409, Action.STOP),
    /** Any other {@code <failure>}: whatsmeow does not reconnect on unknown connect failures, nor do we. */
    CONNECT_FAILURE(400, Action.STOP),
    /** Linking failed (the server refused companion_hello, or the pair-success did not verify). */
    PAIRING_FAILED(400, Action.STOP),
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

    /** The usual code of this reason; a {@link Disconnect} carries the code the server actually sent. */
    public int code() {
        return code;
    }

    public Action action() {
        return action;
    }

    /**
     * {@code <failure reason=N>} before login. Source: whatsmeow types/events/events.go
     * ConnectFailureReason + IsLoggedOut and connectionevents.go handleConnectFailure (commit 33cfac5).
     */
    public static DisconnectReason forFailure(int reason) {
        return switch (reason) {
            case 401, 403, 406 -> LOGGED_OUT; // logged out; main device gone ("LOCKED"); unknown logout ("BANNED")
            case 402 -> TEMPORARILY_BANNED; // TempBanned, with code and expire
            case 405 -> CLIENT_OUTDATED; // ClientOutdated
            case 409 -> USER_AGENT_REJECTED; // BadUserAgent
            case 500 -> SERVER_ERROR; // InternalServerError: whatsmeow auto-reconnects
            case 503 -> UNAVAILABLE; // ServiceUnavailable: whatsmeow auto-reconnects
            default -> CONNECT_FAILURE; // whatsmeow: expectDisconnect, no auto-reconnect
        };
    }

    /**
     * {@code <stream:error code=N>}. Source: whatsmeow connectionevents.go handleStreamError (515
     * reconnect, 401 device_removed logs out, 503 reconnect, anything else reconnects too) and Baileys 7
     * Utils/generics getErrorCodeFromStreamError (the code attribute wins; 401 is loggedOut).
     */
    public static DisconnectReason forStreamError(int code) {
        return switch (code) {
            case 515 -> RESTART_REQUIRED;
            case 401 -> LOGGED_OUT;
            case 440 -> REPLACED;
            case 408 -> TIMED_OUT;
            case 428 -> CONNECTION_CLOSED;
            case 500 -> SERVER_ERROR;
            case 503 -> UNAVAILABLE;
            default -> UNKNOWN;
        };
    }

    /** Lower-case name used on the wire, e.g. {@code logged_out}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
