package dev.linkwell.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.RawHttp;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ServiceTest;
import dev.linkwell.service.support.TestStorage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every bad request gets the right 4xx problem detail and leaves the storage folder untouched. */
@ServiceTest
class BadInputTest {

    @LocalServerPort
    int port;

    @Autowired
    StorageProperties storage;

    @Autowired
    ScriptedEngine engine;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    /**
     * The storage folder as a request could change it. The webhook outbox is left out: the deliveries of other tests'
     * sessions in this shared service (retries with backoff) write to it at any time, and a refused request registers
     * no webhook to deliver to.
     */
    private Map<String, String> storageState() {
        Map<String, String> files = TestStorage.snapshot(storage.root());
        files.keySet().removeIf(path -> path.equals("webhooks") || path.startsWith("webhooks/"));
        return files;
    }

    static Stream<Arguments> badPuts() {
        String big = "{\"provider\":\"" + "x".repeat(5000) + "\"}";
        return Stream.of(
                Arguments.of("space in id", "/sessions/a%20b", null, 400, "session id must match"),
                Arguments.of("dot in id", "/sessions/a.b", null, 400, "session id must match"),
                Arguments.of("65-char id", "/sessions/" + "a".repeat(65), null, 400, "session id must match"),
                Arguments.of("encoded traversal", "/sessions/..%2F..%2Fetc", null, 400, "session id must match"),
                Arguments.of("encoded slash", "/sessions/a%2Fb", null, 400, "session id must match"),
                Arguments.of("encoded dots", "/sessions/%2e%2e", null, -1, null),
                Arguments.of("matrix parameter in id", "/sessions/mx1;b=c", null, 400, "';'"),
                Arguments.of("empty matrix parameter", "/sessions/mx1;", null, 400, "';'"),
                Arguments.of("encoded semicolon in id", "/sessions/mx1%3Bb", null, 400, "session id must match"),
                Arguments.of("malformed JSON", "/sessions/bad1", "{bad", 400, "malformed JSON body"),
                Arguments.of("JSON array", "/sessions/bad1", "[1,2]", 400, "malformed JSON body"),
                Arguments.of(
                        "unknown field", "/sessions/bad1", "{\"provder\":\"native\"}", 400, "unknown field 'provder'"),
                Arguments.of("phone as a number", "/sessions/bad1", "{\"phone\": 5511999990000}", 400, "'phone'"),
                Arguments.of("provider as a boolean", "/sessions/bad1", "{\"provider\": true}", 400, "'provider'"),
                Arguments.of("storage as a number", "/sessions/bad1", "{\"storage\": 1.5}", 400, "'storage'"),
                Arguments.of(
                        "duplicate key",
                        "/sessions/bad1",
                        "{\"phone\":\"51987654321\",\"phone\":\"51987654322\"}",
                        400,
                        "'phone'"),
                Arguments.of(
                        "webhook event as a number",
                        "/sessions/bad1",
                        "{\"webhooks\":[{\"url\":\"http://127.0.0.1:9/h\",\"events\":[1]}]}",
                        400,
                        "'webhooks[0].events[0]'"),
                Arguments.of(
                        "webhooks as an object",
                        "/sessions/bad1",
                        "{\"webhooks\":{\"url\":\"http://127.0.0.1:9/h\"}}",
                        400,
                        "'webhooks'"),
                Arguments.of(
                        "unknown provider",
                        "/sessions/bad1",
                        "{\"provider\":\"nope\"}",
                        400,
                        "unknown provider 'nope'"),
                Arguments.of("unknown storage", "/sessions/bad1", "{\"storage\":\"s3\"}", 400, "unknown storage 's3'"),
                Arguments.of(
                        "short phone", "/sessions/bad1", "{\"phone\":\"123456\"}", 400, "phone must be 7 to 15 digits"),
                Arguments.of("long phone", "/sessions/bad1", "{\"phone\":\"1234567890123456\"}", 400, "phone must be"),
                Arguments.of("phone with plus", "/sessions/bad1", "{\"phone\":\"+51987654321\"}", 400, "phone must be"),
                Arguments.of(
                        "phone with a leading 0",
                        "/sessions/bad1",
                        "{\"phone\":\"051987654321\"}",
                        400,
                        "not starting with 0"),
                Arguments.of(
                        "phone with letters", "/sessions/bad1", "{\"phone\":\"51987abc321\"}", 400, "phone must be"),
                Arguments.of(
                        "bad phone on a provider that cannot run here",
                        "/sessions/bad1",
                        "{\"provider\":\"baileys\",\"phone\":\"12\"}",
                        400,
                        "phone must be"),
                Arguments.of("oversized body", "/sessions/bad1", big, 413, "larger than 4096 bytes"),
                // baileys is installed, but these tests do not point it at its Node host: 503 says what is missing
                Arguments.of(
                        "provider whose runtime is missing",
                        "/sessions/bad1",
                        "{\"provider\":\"baileys\"}",
                        503,
                        "provider 'baileys' needs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPuts")
    void badPutIsRefusedAndTouchesNothing(String name, String path, String body, int status, String detail) {
        Map<String, String> before = storageState();
        int startsBefore = engine.startedSessionIds().size();

        HttpResponse<String> response = body == null ? api.put(path) : api.putJson(path, body);

        if (status > 0) {
            assertThat(response.statusCode()).isEqualTo(status);
        } else {
            assertThat(response.statusCode()).isBetween(400, 499);
        }
        if (detail != null) {
            assertProblem(response, detail);
        }
        assertThat(storageState()).isEqualTo(before);
        assertThat(engine.startedSessionIds()).hasSize(startsBefore);
    }

    /** Matrix parameters never reach the id check stripped: {@code a;x} is not a way to name session {@code a}. */
    @Test
    void aMatrixParameterNeverActsOnTheSessionItStrips() {
        api.put("/sessions/victim1");
        Map<String, String> before = storageState();

        for (String path :
                new String[] {"/sessions/victim1;x/storage", "/sessions/victim1;x", "/sessions/victim1;/storage"}) {
            HttpResponse<String> response = api.delete(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertProblem(response, "';'");
        }
        assertThat(api.get("/sessions/victim1;x").statusCode()).isEqualTo(400);
        assertThat(storageState()).isEqualTo(before);
        assertThat(Api.json(api.get("/sessions/victim1"))).containsEntry("status", "starting");
        assertThat(engine.latest("victim1").isClosed()).isFalse();
    }

    /** What Tomcat refuses before any servlet runs is a problem detail too, not its HTML error page. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsTomcatRefuses")
    void requestsTheServerRefusesAreProblemDetails(String name, String target) {
        Map<String, String> before = storageState();

        RawHttp.Response response = RawHttp.send(port, "GET", target);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        Map<String, Object> problem = Api.JSON_READER.apply(response.body());
        assertThat(problem).containsEntry("status", 400).containsEntry("title", "Bad Request");
        assertThat((String) problem.get("detail")).isNotBlank().doesNotContain("<");
        assertThat(storageState()).isEqualTo(before);
    }

    @Test
    void unknownPathsAndMethodsAreProblemDetails() {
        RawHttp.Response unknown = RawHttp.send(port, "GET", "/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        RawHttp.Response method = RawHttp.send(port, "POST", "/sessions");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Api.JSON_READER.apply(method.body())).containsEntry("status", 405);
    }

    static Stream<Arguments> requestsTomcatRefuses() {
        return Stream.of(
                Arguments.of("encoded backslash", "/sessions/a%5Cb"),
                Arguments.of("encoded NUL", "/sessions/a%00b"),
                Arguments.of("dot segments above the root", "/sessions/../../etc/passwd"),
                Arguments.of("10 kB URL", "/sessions/" + "a".repeat(10_000)),
                Arguments.of("bad percent encoding", "/sessions/a%zz"));
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        Map<String, String> before = storageState();
        byte[] big = ("{\"phone\":\"" + "1".repeat(6000) + "\"}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(api.uri("/sessions/chunky"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();

        HttpResponse<String> response = api.send(request);

        assertThat(response.statusCode()).isEqualTo(413);
        assertProblem(response, "larger than 4096 bytes");
        assertThat(storageState()).isEqualTo(before);
    }

    @Test
    void nonJsonContentTypeIs415() {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/sessions/bad2"))
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("provider=native"))
                .build());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void unknownSessionsAre404() {
        assertProblem(api.get("/sessions/nobody"), "no session 'nobody'");
        assertThat(api.get("/sessions/nobody").statusCode()).isEqualTo(404);
        assertThat(api.getBytes("/sessions/nobody/qr", "image/png").statusCode())
                .isEqualTo(404);
        assertThat(api.delete("/sessions/nobody").statusCode()).isEqualTo(404);
        assertThat(api.delete("/sessions/nobody/storage").statusCode()).isEqualTo(404);
        assertThat(api.delete("/sessions/a%20b/storage").statusCode()).isEqualTo(400);
    }

    @Test
    void badEventFiltersAre400() {
        assertThat(api.get("/events?type=session.bogus").statusCode()).isEqualTo(400);
        assertProblem(api.get("/events?type=session.bogus"), "unknown event type 'session.bogus'");
        assertThat(api.get("/events?sessionId=..%2Fx").statusCode()).isEqualTo(400);
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/events"))
                                .header("Last-Event-ID", "abc")
                                .GET()
                                .build())
                        .statusCode())
                .isEqualTo(400);
    }

    private static void assertProblem(HttpResponse<String> response, String detail) {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        Map<String, Object> problem = Api.json(response);
        assertThat(problem).containsEntry("status", response.statusCode()).containsKey("title");
        assertThat((String) problem.get("detail")).contains(detail);
    }
}
