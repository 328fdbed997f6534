package dev.linkwell.service.session;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request the session service refuses; rendered as an RFC 9457 problem detail with this status. */
public class SessionException extends ErrorResponseException {

    public SessionException(HttpStatus status, String title, String detail) {
        super(status, problem(status, title, detail), null);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }

    static SessionException badRequest(String detail) {
        return new SessionException(HttpStatus.BAD_REQUEST, "Invalid request", detail);
    }

    static SessionException notFound(String sessionId) {
        return new SessionException(HttpStatus.NOT_FOUND, "Session not found", "no session '" + sessionId + "'");
    }
}
