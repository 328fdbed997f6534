package dev.linkwell.service.session;

import java.util.Objects;

/**
 * A session operation that did not happen, or did not fully happen, and why. Carries no HTTP types: the web layer
 * maps each {@link Kind} to a status ({@code ApiExceptionHandler}).
 */
public class SessionException extends RuntimeException {

    /** What went wrong, as a caller needs to tell cases apart. */
    public enum Kind {
        /** The request itself is wrong (id, provider, phone, ...); nothing changed. */
        INVALID,
        /** No such session, or nothing of that kind in it. */
        NOT_FOUND,
        /** The session is in a state that does not allow this (runs on another provider). */
        CONFLICT,
        /** The service cannot do it now (provider not installed, shutting down). */
        UNAVAILABLE,
        /** The storage root refused a write: the session is left in the state it tells. */
        STORAGE_FAILED,
        /** The engine or WhatsApp refused: the engine could not start, or the server refused to link. */
        UPSTREAM_FAILED
    }

    private final Kind kind;
    private final String title;

    public SessionException(Kind kind, String title, String detail) {
        this(kind, title, detail, null);
    }

    public SessionException(Kind kind, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.title = Objects.requireNonNull(title, "title");
    }

    public Kind kind() {
        return kind;
    }

    /** A short summary of the problem, the same for every occurrence of this case. */
    public String title() {
        return title;
    }

    static SessionException invalid(String detail) {
        return new SessionException(Kind.INVALID, "Invalid request", detail);
    }

    public static SessionException notFound(String title, String detail) {
        return new SessionException(Kind.NOT_FOUND, title, detail);
    }

    static SessionException notFound(String sessionId) {
        return notFound("Session not found", "no session '" + sessionId + "'");
    }
}
