package dev.linkwell.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ScriptedEngineConfiguration;
import dev.linkwell.service.support.WebSocketFrames;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** With API keys configured: who gets in where, over HTTP, SSE and WebSocket. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "linkwell.sessions.default-provider=scripted",
            "linkwell.sessions.start-wait=2s",
            "linkwell.storage.root=target/test-storage/${random.uuid}",
            "linkwell.security.api-keys=admin-key-0123456789abcdef, second-admin-key-0123456789",
        })
@Import(ScriptedEngineConfiguration.class)
class ApiKeyTest {

    private static final String ADMIN = "admin-key-0123456789abcdef";
    private static final long WAIT_SECONDS = 5;

    @LocalServerPort
    int port;

    @Autowired
    ScriptedEngine engine;

    @Autowired
    StorageProperties storage;

    Path root;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        root = storage.root();
    }

    @Test
    void withoutAKeyOnlyHealthAnswers() {
        HttpResponse<String> refused = api.get("/sessions");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(Api.json(refused)).containsEntry("status", 401).containsKey("detail");
        assertThat(api.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(api.get("/v3/api-docs").statusCode())
                .as("docs need a key unless API_DOCS_PUBLIC=true")
                .isEqualTo(401);
        assertThat(api.get("/swagger-ui.html").statusCode()).isEqualTo(401);
        assertThat(api.get("/diagnostics/whatsapp").statusCode()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(api.get("/webhooks/dead-letters").statusCode()).isEqualTo(401);
        assertThat(api.put("/sessions/no-key").statusCode()).isEqualTo(401);
        assertThat(root.resolve("sessions/no-key")).doesNotExist();
        assertThat(api.get("/sessions?apiKey=" + ADMIN).statusCode())
                .as("the query parameter is for event streams only")
                .isEqualTo(401);
    }

    @Test
    void theDashboardPageAndItsTwoFilesLoadWithoutAKeyAndHoldNoData() {
        admin("PUT", "/sessions/page-secret");
        HttpResponse<String> page = api.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(page.body()).contains("data-auth=\"key\"").doesNotContain("page-secret", "{{");
        assertThat(api.get("/ui").body()).isEqualTo(page.body());
        assertThat(send("HEAD", "/", "X-Api-Key", "").statusCode()).isEqualTo(200);
        HttpResponse<String> script = api.get("/ui/dashboard.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript");
        assertThat(api.get("/ui/dashboard.css").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));

        assertThat(send("POST", "/", "X-Api-Key", "").statusCode())
                .as("only reading is public")
                .isEqualTo(401);
        assertThat(send("PUT", "/ui", "X-Api-Key", "").statusCode()).isEqualTo(401);
        assertThat(api.get("/ui/").statusCode()).as("nothing else under /ui").isEqualTo(401);
        assertThat(api.get("/ui/other.js").statusCode()).isEqualTo(401);
        assertThat(api.get("/index.html").statusCode()).isEqualTo(401);
        assertThat(api.get("/ui/..%2Fsessions").statusCode()).isEqualTo(401);
        assertThat(api.get("/ui/dashboard.js/../../sessions").statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource({
        "X-Api-Key,admin-key-0123456789abcdef",
        "Authorization,Bearer admin-key-0123456789abcdef",
        "Authorization,bearer second-admin-key-0123456789"
    })
    void anAdminKeyInEitherHeaderOpensEverything(String header, String value) {
        assertThat(send("GET", "/sessions", header, value).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", header, value).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/webhooks/dead-letters", header, value).statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource({
        "X-Api-Key,admin-key-0123456789abcdeX",
        "X-Api-Key,admin-key-0123456789abcde",
        "Authorization,Basic YWRtaW46cHc=",
        "Authorization,Bearer ",
        "X-Api-Key,admin-key-0123456789abcdef0"
    })
    void aWrongKeyIsRefused(String header, String value) {
        assertThat(send("GET", "/sessions", header, value).statusCode()).isEqualTo(401);
    }

    @Test
    void aSessionKeySeesAndDrivesOnlyItsSession() throws Exception {
        admin("PUT", "/sessions/key-own");
        admin("PUT", "/sessions/key-other");
        HttpResponse<String> issued = admin("POST", "/sessions/key-own/api-keys");
        assertThat(issued.statusCode()).isEqualTo(201);
        String key = (String) Api.json(issued).get("key");
        assertThat(key).startsWith("lwk_").hasSizeGreaterThan(40);
        assertThat(Files.readString(root.resolve("sessions/key-own/api-keys.json")))
                .as("only a digest is stored")
                .doesNotContain(key);

        assertThat(withKey("GET", "/sessions/key-own", key).statusCode()).isEqualTo(200);
        assertThat(withKey("PUT", "/sessions/key-own", key).statusCode()).isEqualTo(200);
        assertThat(withKey("GET", "/sessions/key-own/qr", key).statusCode()).isEqualTo(200);
        assertThat(Api.JSON_LIST_READER.apply(withKey("GET", "/sessions", key).body()))
                .extracting(s -> s.get("sessionId"))
                .containsExactly("key-own");
        assertThat(withKey("GET", "/webhooks/dead-letters", key).statusCode()).isEqualTo(200);

        HttpResponse<String> other = withKey("GET", "/sessions/key-other", key);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(Api.json(other).get("detail")).isEqualTo("this API key is limited to session 'key-own'");
        assertThat(withKey("DELETE", "/sessions/key-other", key).statusCode()).isEqualTo(403);
        assertThat(withKey("PUT", "/sessions/key-new", key).statusCode()).isEqualTo(403);
        assertThat(withKey("POST", "/sessions/key-own/api-keys", key).statusCode())
                .as("keys are for admins")
                .isEqualTo(403);
        assertThat(withKey("GET", "/actuator/prometheus", key).statusCode()).isEqualTo(403);
        assertThat(withKey("GET", "/webhooks/dead-letters?sessionId=key-other", key)
                        .statusCode())
                .isEqualTo(403);
        assertThat(withKey("GET", "/events?sessionId=key-other", key).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aSessionKeysEventStreamsCarryOnlyItsSessionAndBrowsersMayPutTheKeyInTheQuery() throws Exception {
        admin("PUT", "/sessions/stream-own");
        String key = (String)
                Api.json(admin("POST", "/sessions/stream-own/api-keys")).get("key");
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = api.client()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://localhost:" + port + "/ws/events?apiKey=" + key),
                        WebSocketFrames.collector(frames, null))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            HttpResponse<Stream<String>> sse = api.client()
                    .send(
                            HttpRequest.newBuilder(api.uri("/events?apiKey=" + key))
                                    .header("Accept", "text/event-stream")
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines());
            assertThat(sse.statusCode()).isEqualTo(200);
            sse.body().close();

            admin("PUT", "/sessions/stream-other");
            engine.latest("stream-own").qr("qr:stream-own:fresh");

            Map<String, Object> envelope = Api.JSON_READER.apply(frames.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            assertThat(envelope)
                    .containsEntry("sessionId", "stream-own")
                    .containsEntry("data", Map.of("qr", "qr:stream-own:fresh"));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(frames)
                .allSatisfy(f -> assertThat(Api.JSON_READER.apply(f)).containsEntry("sessionId", "stream-own"));
    }

    @Test
    void aWebSocketWithoutAKeyIsRefusedAtTheHandshake() {
        CompletableFuture<WebSocket> attempt = api.client()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://localhost:" + port + "/ws/events"),
                        WebSocketFrames.collector(new LinkedBlockingQueue<>(), null));

        assertThat(attempt)
                .failsWithin(WAIT_SECONDS, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void revokedKeysAndKeysOfRemovedSessionsStopWorking() {
        admin("PUT", "/sessions/key-gone");
        Map<String, Object> first = Api.json(admin("POST", "/sessions/key-gone/api-keys"));
        String second =
                (String) Api.json(admin("POST", "/sessions/key-gone/api-keys")).get("key");
        List<Map<String, Object>> listed = Api.JSON_LIST_READER.apply(
                admin("GET", "/sessions/key-gone/api-keys").body());
        assertThat(listed).extracting(k -> k.get("id")).contains(first.get("id"));
        assertThat(listed).allSatisfy(k -> assertThat(k).containsOnlyKeys("id", "createdAt"));

        assertThat(admin("DELETE", "/sessions/key-gone/api-keys/" + first.get("id"))
                        .statusCode())
                .isEqualTo(204);
        assertThat(withKey("GET", "/sessions/key-gone", (String) first.get("key"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(withKey("GET", "/sessions/key-gone", second).statusCode()).isEqualTo(200);

        assertThat(withKey("DELETE", "/sessions/key-gone/storage", second).statusCode())
                .isEqualTo(200);
        assertThat(withKey("GET", "/sessions/key-gone", second).statusCode()).isEqualTo(401);
        assertThat(admin("POST", "/sessions/key-gone/api-keys").statusCode()).isEqualTo(409);
        assertThat(admin("POST", "/sessions/never-was/api-keys").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> admin(String method, String path) {
        return send(method, path, "X-Api-Key", ADMIN);
    }

    private HttpResponse<String> withKey(String method, String path, String key) {
        return send(method, path, "Authorization", "Bearer " + key);
    }

    private HttpResponse<String> send(String method, String path, String header, String value) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(api.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (!value.isBlank()) {
            request.header(header, value);
        }
        return api.send(request.build());
    }
}
