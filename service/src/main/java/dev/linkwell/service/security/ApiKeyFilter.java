package dev.linkwell.service.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requires an API key on every request except health, the dashboard page and its two static files (which
 * hold no data; the page asks for a key for the API it calls), and, if so configured, the API docs: in
 * {@code X-Api-Key}, in {@code Authorization: Bearer}, or, for the event streams only, which
 * browsers open without custom headers, in the {@code apiKey} query parameter. A session key may
 * only reach its own session: its {@code /sessions/{id}} paths (not its key management), the list
 * (narrowed to it), the event streams and dead letters (narrowed to it by their handlers). Without
 * any {@code API_KEY} configured, everyone is an admin; the service warns about that at start.
 * Runs before everything else, so no handler sees an unauthenticated request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";
    static final String QUERY_PARAMETER = "apiKey";
    private static final String BEARER = "Bearer ";
    private static final Set<String> DASHBOARD = Set.of("/", "/ui", "/ui/dashboard.js", "/ui/dashboard.css");

    private final ApiKeys keys;
    private final SecurityProperties properties;
    private final JsonMapper json;

    ApiKeyFilter(ApiKeys keys, SecurityProperties properties, JsonMapper json) {
        this.keys = keys;
        this.properties = properties;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        if (isHealth(path) || isDashboard(request.getMethod(), path) || (properties.publicDocs() && isDocs(path))) {
            chain.doFilter(request, response);
            return;
        }
        if (!keys.enabled()) {
            request.setAttribute(Caller.ATTRIBUTE, Caller.ADMIN);
            chain.doFilter(request, response);
            return;
        }
        Optional<String> presented = presentedKey(request, path);
        if (presented.isEmpty()) {
            refuse(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "Authentication required",
                    "send an API key in the X-Api-Key header or as Authorization: Bearer <key>");
            return;
        }
        Optional<Caller> caller = keys.authenticate(presented.get());
        if (caller.isEmpty()) {
            refuse(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "Authentication required",
                    "the API key was not accepted");
            return;
        }
        if (!caller.get().isAdmin() && !sessionKeyMayUse(caller.get().sessionId(), request.getMethod(), path)) {
            refuse(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    "Forbidden",
                    "this API key is limited to session '" + caller.get().sessionId() + "'");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    /** The decoded, normalized path inside the application (what the handler mappings match). */
    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    private static boolean isHealth(String path) {
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    /** The page and its script and style sheet, read-only; any other path under /ui needs a key. */
    private static boolean isDashboard(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method)) && DASHBOARD.contains(path);
    }

    static boolean isDocs(String path) {
        return path.equals("/v3/api-docs")
                || path.startsWith("/v3/api-docs/")
                || path.equals("/v3/api-docs.yaml")
                || path.equals("/swagger-ui.html")
                || path.startsWith("/swagger-ui/");
    }

    private static boolean isStream(String path) {
        return path.equals("/events") || path.equals("/ws/events");
    }

    private static Optional<String> presentedKey(HttpServletRequest request, String path) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return Optional.of(header.strip());
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(authorization.substring(BEARER.length()).strip());
        }
        String query = isStream(path) ? request.getParameter(QUERY_PARAMETER) : null;
        return query == null || query.isBlank() ? Optional.empty() : Optional.of(query.strip());
    }

    /** What a session key may reach; its handlers narrow lists and streams to its session. */
    static boolean sessionKeyMayUse(String sessionId, String method, String path) {
        if (isStream(path) || isDocs(path)) {
            return "GET".equals(method);
        }
        if (path.equals("/sessions")) {
            return "GET".equals(method);
        }
        if (path.equals("/webhooks/dead-letters")) {
            return "GET".equals(method);
        }
        if (path.startsWith("/webhooks/dead-letters/") && path.endsWith("/retry")) {
            return "POST".equals(method);
        }
        String own = "/sessions/" + sessionId;
        return path.equals(own) || (path.startsWith(own + "/") && !path.startsWith(own + "/api-keys"));
    }

    private void refuse(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
