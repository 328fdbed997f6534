package dev.linkwell.service.web;

import dev.linkwell.client.SessionIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses any path with a {@code ;} (a matrix or path parameter) with 400. The servlet container and Spring
 * strip such parameters before matching, so {@code /sessions/a;x/storage} would otherwise act on session
 * {@code a}; no endpoint of this API takes them. Runs first, before the API key check reads the path.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PathParameterFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().indexOf(';') >= 0) {
            ProblemResponses.write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    "Invalid request",
                    "the path must not contain ';' (matrix parameters are not supported; session ids match "
                            + SessionIds.PATTERN.pattern() + ")");
            return;
        }
        chain.doFilter(request, response);
    }
}
