package dev.linkwell.service.cluster;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.SessionIds;
import dev.linkwell.service.security.Caller;
import dev.linkwell.service.session.ConnectionState;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.SessionStatus;
import dev.linkwell.service.session.SessionView;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.storage.postgres.PostgresLeases;
import dev.linkwell.service.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Any node answers the API (ADR 0015). A call about one session ({@code /sessions/{id}} and everything under it)
 * that another live node runs is forwarded there, with the caller's API key, and its answer passed back: that node
 * has the session's live state (its QR, its socket) and is the only one that may change it. The session list is
 * gathered from every live node, plus the stored sessions no node runs. Every answer about sessions names the
 * node that gave it in {@code X-Linkwell-Node}. Runs after the API key filter, so the caller is checked where the
 * call arrives, and again by the owner. Event streams and dead letters need no forwarding: every node has every
 * event, and the outbox is one table.
 */
final class ForwardingFilter extends OncePerRequestFilter implements Ordered {

    /** Set on forwarded calls: the receiving node answers itself and forwards nothing further. */
    static final String FORWARDED_BY = "X-Linkwell-Forwarded-By";

    static final String NODE = "X-Linkwell-Node";
    private static final Logger log = LoggerFactory.getLogger(ForwardingFilter.class);
    private static final Set<String> REQUEST_HEADERS = Set.of("content-type", "accept", "x-api-key", "authorization");
    private static final Set<String> RESPONSE_HEADERS =
            Set.of("content-type", "cache-control", "www-authenticate", "retry-after");
    private static final String PREFIX = "/sessions/";

    private final String node;
    private final LeaseBook book;
    private final PostgresLeases leases;
    private final SessionService sessions;
    private final SessionStateStore states;
    private final CredentialStore credentials;
    private final ClusterProperties properties;
    private final JsonMapper json;
    private final long maxBody;
    private final HttpClient http;

    ForwardingFilter(
            LeaseBook book,
            PostgresLeases leases,
            SessionService sessions,
            SessionStateStore states,
            CredentialStore credentials,
            ClusterProperties properties,
            JsonMapper json,
            long maxBody) {
        this.node = book.node();
        this.book = book;
        this.leases = leases;
        this.sessions = sessions;
        this.states = states;
        this.credentials = credentials;
        this.properties = properties;
        this.json = json;
        this.maxBody = maxBody;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** After the API key filter (which sets the caller), before everything that reads a body. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        if (!path.equals("/sessions") && !path.startsWith(PREFIX)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(NODE, node);
        boolean forwarded = request.getHeader(FORWARDED_BY) != null;
        if (path.equals("/sessions")) {
            if (!forwarded && "GET".equals(request.getMethod())) {
                list(request, response);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        String sessionId = sessionId(path);
        if (forwarded || sessionId == null || book.holds(sessionId)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<PostgresLeases.Owner> owner;
        try {
            owner = leases.owner(sessionId);
        } catch (RuntimeException e) {
            chain.doFilter(request, response); // the session service says what the storage failure means
            return;
        }
        if (owner.isEmpty()
                || owner.get().node() == null
                || owner.get().node().equals(node)
                || !owner.get().valid()) {
            chain.doFilter(request, response); // nobody runs it: this node takes it up
            return;
        }
        if (!owner.get().alive() || owner.get().url() == null) {
            unavailable(response, sessionId, owner.get().node());
            return;
        }
        forward(request, response, sessionId, owner.get());
    }

    private void forward(
            HttpServletRequest request, HttpServletResponse response, String sessionId, PostgresLeases.Owner owner)
            throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, maxBody + 1));
        }
        if (body.length > maxBody) {
            ProblemResponses.write(
                    response,
                    HttpStatus.CONTENT_TOO_LARGE,
                    "Content Too Large",
                    "request body is larger than " + maxBody + " bytes");
            return;
        }
        String query = request.getQueryString();
        URI target = URI.create(owner.url() + request.getRequestURI() + (query == null ? "" : "?" + query));
        HttpRequest.Builder call = HttpRequest.newBuilder(target)
                .timeout(properties.forwardTimeout())
                .method(
                        request.getMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .header(FORWARDED_BY, node);
        for (String name : REQUEST_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                call.header(name, value);
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(call.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            log.warn(
                    "Forwarding {} {} to node {} failed: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    owner.node(),
                    e.toString());
            unavailable(response, sessionId, owner.node());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(response, sessionId, owner.node());
            return;
        }
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !values.isEmpty()) {
                response.setHeader(name, values.getFirst());
            }
        });
        response.setHeader(NODE, answer.headers().firstValue(NODE).orElse(owner.node()));
        response.getOutputStream().write(answer.body());
    }

    /** Every live node's sessions, and the stored ones no node runs, as the caller may see them, by id. */
    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = Caller.of(request);
        Map<String, JsonNode> views = new TreeMap<>();
        for (SessionView view : sessions.list()) {
            views.put(view.sessionId(), json.valueToTree(view));
        }
        Map<String, String> nodes;
        List<StoredSession> stored;
        Set<String> withCredentials;
        try {
            nodes = leases.liveNodes();
            stored = states.loadAll();
            withCredentials = new HashSet<>(credentials.sessionIds());
        } catch (RuntimeException e) {
            ProblemResponses.write(
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Storage unavailable",
                    "the session list cannot be gathered: the database does not answer; see the service log");
            log.error("Cannot gather the session list: {}", e.toString());
            return;
        }
        List<CompletableFuture<List<JsonNode>>> remote = new ArrayList<>();
        nodes.forEach((id, url) -> {
            if (!id.equals(node) && url != null) {
                remote.add(listOf(request, id, url));
            }
        });
        for (CompletableFuture<List<JsonNode>> answer : remote) {
            for (JsonNode view : answer.join()) {
                views.putIfAbsent(view.path("sessionId").asString(), view);
            }
        }
        for (StoredSession session : stored) {
            views.computeIfAbsent(
                    session.sessionId(), id -> json.valueToTree(unowned(session, withCredentials.contains(id))));
        }
        ArrayNode body = json.createArrayNode();
        views.forEach((id, view) -> {
            if (caller.canSee(id)) {
                body.add(view);
            }
        });
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    /** One node's own sessions; none when it does not answer in time (its sessions are listed as stored). */
    private CompletableFuture<List<JsonNode>> listOf(HttpServletRequest request, String id, String url) {
        HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(url + "/sessions"))
                .timeout(Duration.ofSeconds(5))
                .header(FORWARDED_BY, node)
                .header("Accept", MediaType.APPLICATION_JSON_VALUE)
                .GET();
        for (String name : List.of("x-api-key", "authorization")) {
            String value = request.getHeader(name);
            if (value != null) {
                call.header(name, value);
            }
        }
        return http.sendAsync(call.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((answer, failure) -> {
                    if (failure != null || answer.statusCode() != 200) {
                        log.warn(
                                "Node {} did not list its sessions: {}",
                                id,
                                failure != null ? failure.toString() : "HTTP " + answer.statusCode());
                        return List.of();
                    }
                    try {
                        List<JsonNode> views = new ArrayList<>();
                        json.readTree(answer.body()).forEach(views::add);
                        return views;
                    } catch (JacksonException e) {
                        log.warn(
                                "Node {} listed its sessions in a form this node cannot read: {}",
                                id,
                                e.getOriginalMessage());
                        return List.of();
                    }
                });
    }

    /**
     * A stored session no node runs: closed; one that should run (its node stopped, and it has credentials) says
     * {@code awaiting_node} until a node takes it up.
     */
    private static SessionView unowned(StoredSession stored, boolean hasCredentials) {
        return new SessionView(
                stored.sessionId(),
                SessionStatus.CLOSED,
                ConnectionState.CLOSE,
                stored.provider(),
                null,
                null,
                stored.desiredRunning() && hasCredentials ? "awaiting_node" : null,
                stored.updatedAt(),
                stored.webhooks().stream()
                        .map(w -> new SessionView.Webhook(w.url(), w.events(), w.secret() != null))
                        .toList());
    }

    private void unavailable(HttpServletResponse response, String sessionId, String owner) throws IOException {
        response.setHeader(
                "Retry-After", Long.toString(Math.max(1, properties.leaseTtl().toSeconds())));
        ProblemResponses.write(
                response,
                HttpStatus.SERVICE_UNAVAILABLE,
                "Session's node unavailable",
                "session '" + sessionId + "' runs on node '" + owner
                        + "', which does not answer; another node takes it up" + " within "
                        + properties.leaseTtl().toSeconds() + " s if it stays down");
    }

    /** The session id of {@code /sessions/{id}} and the paths under it, if it is a valid one. */
    static String sessionId(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return SessionIds.isValid(id) ? id : null;
    }

    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}
