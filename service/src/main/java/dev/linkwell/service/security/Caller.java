package dev.linkwell.service.security;

import dev.linkwell.service.events.EventFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Who sent a request: an admin (an {@code API_KEY}, or anyone while no key is configured) or the
 * holder of a session key, who may only see and drive that one session.
 *
 * @param sessionId the session a session key is limited to; {@code null} for an admin
 */
public record Caller(String sessionId) {

    public static final Caller ADMIN = new Caller(null);
    static final String ATTRIBUTE = Caller.class.getName();

    public boolean isAdmin() {
        return sessionId == null;
    }

    public boolean canSee(String session) {
        return isAdmin() || sessionId.equals(session);
    }

    /**
     * The filter an event stream may use: a session key's stream is limited to its session, and asking
     * for another session is refused (403) rather than silently narrowed.
     */
    public EventFilter restrict(EventFilter filter) {
        if (isAdmin()) {
            return filter;
        }
        if (filter.sessionIds().isEmpty()) {
            return new EventFilter(Set.of(sessionId), filter.types());
        }
        if (!Set.of(sessionId).containsAll(filter.sessionIds())) {
            throw forbidden();
        }
        return filter;
    }

    /** The 403 for anything outside a session key's session. */
    public ResponseStatusException forbidden() {
        return new ResponseStatusException(
                HttpStatus.FORBIDDEN, "this API key is limited to session '" + sessionId + "'");
    }

    /** The caller the API key filter found for this request. */
    public static Caller of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("no caller on the request; is ApiKeyFilter registered?");
    }
}
