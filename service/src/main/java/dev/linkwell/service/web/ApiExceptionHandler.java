package dev.linkwell.service.web;

import dev.linkwell.service.engine.SendException;
import dev.linkwell.service.session.SessionException;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Renders every error as an RFC 9457 problem detail. Spring's own exceptions go through the base class; this
 * maps the session service's {@link SessionException}s to their statuses and adds clear messages for unreadable
 * bodies and a catch-all.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** Jackson's words for a key given twice ({@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}). */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:Object )?(?:property|field) \"([^\"]*)\"");

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
        if (cause instanceof BodyTooLargeException) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, cause.getMessage());
            return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
        }
        String reason = switch (cause) {
            case UnrecognizedPropertyException unknown -> "unknown field '" + unknown.getPropertyName() + "'";
            case MismatchedInputException mismatch
            when !mismatch.getPath().isEmpty() ->
                "field '" + path(mismatch) + "' must be " + shape(mismatch.getTargetType());
            case StreamReadException read
            when duplicateField(read) != null -> "field '" + duplicateField(read) + "' is given twice";
            case JacksonException jackson -> firstLine(jackson.getOriginalMessage());
            default -> cause == ex ? "the body is missing or not JSON" : firstLine(cause.getMessage());
        };
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "malformed JSON body: " + reason);
        problem.setTitle("Malformed request body");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** The session service's refusals; a storage failure is logged where it happened. */
    @ExceptionHandler(SessionException.class)
    ResponseEntity<ProblemDetail> session(SessionException e) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNAVAILABLE, STORAGE_FAILED -> HttpStatus.SERVICE_UNAVAILABLE;
            case UPSTREAM_FAILED -> HttpStatus.BAD_GATEWAY;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(e.title());
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** An engine's refusal to send; its kind says what the client can do about it. */
    @ExceptionHandler(SendException.class)
    ResponseEntity<ProblemDetail> send(SendException e) {
        HttpStatus status = switch (e.kind()) {
            case BAD_RECIPIENT -> HttpStatus.BAD_REQUEST;
            case UNKNOWN_NUMBER -> HttpStatus.UNPROCESSABLE_CONTENT;
            case NOT_READY -> HttpStatus.CONFLICT;
            case SERVER_ERROR -> HttpStatus.BAD_GATEWAY;
            case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
            case ENGINE_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case NOT_IMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
        };
        String title = switch (e.kind()) {
            case BAD_RECIPIENT -> "Bad recipient";
            case UNKNOWN_NUMBER -> "Unknown number";
            case NOT_READY -> "Session not ready";
            case SERVER_ERROR -> "WhatsApp refused the message";
            case TIMEOUT -> "No answer in time";
            case ENGINE_UNAVAILABLE -> "Engine unavailable";
            case NOT_IMPLEMENTED -> "Sending not implemented";
        };
        String detail =
                e.kind() == SendException.Kind.TIMEOUT && !e.getMessage().contains("may or may not")
                        ? e.getMessage() + "; the message may or may not have been sent"
                        : e.getMessage();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected error", e);
        return ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "unexpected error; see the service log");
    }

    /** The key a {@code Duplicate Object property "x"} error names, or {@code null}. */
    private static String duplicateField(StreamReadException e) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        return duplicate.find() ? duplicate.group(1) : null;
    }

    /** {@code webhooks[0].events[1]}: where in the body the bad value is. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String shape(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
