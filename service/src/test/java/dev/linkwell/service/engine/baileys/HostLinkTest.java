package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service's end of the stdio link, driven over real pipes by a test that plays the host: whatever the host
 * writes, the link drops what it cannot use, says so in the log, and goes on.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostLinkTest {

    private static final int MAX_LINE = 1024;

    private final JsonMapper json = JsonMapper.builder().build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService answers = Executors.newSingleThreadExecutor();
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> logs = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    private OutputStream host; // what the "host" writes, the link reads
    private BufferedReader fromService; // what the link writes to the "host"
    private HostLink link;

    @BeforeEach
    void connect() throws IOException {
        PipedInputStream linkIn = new PipedInputStream(1 << 20);
        host = new PipedOutputStream(linkIn);
        PipedInputStream hostIn = new PipedInputStream(1 << 20);
        OutputStream linkOut = new PipedOutputStream(hostIn);
        fromService = new BufferedReader(new InputStreamReader(hostIn, StandardCharsets.UTF_8));
        link = new HostLink(
                linkIn,
                linkOut,
                json,
                MAX_LINE,
                Duration.ofMillis(300),
                timer,
                answers,
                new HostLink.Peer() {
                    @Override
                    public CompletableFuture<JsonNode> onRequest(String op, ObjectNode message) {
                        requests.add(op);
                        if (op.equals("keys.get")) {
                            ObjectNode result = json.createObjectNode();
                            result.putObject("values").put("1", "{\"a\":1}");
                            return CompletableFuture.completedFuture(result);
                        }
                        return CompletableFuture.failedFuture(new HostRequestException("closed", "socket 3 ended"));
                    }

                    @Override
                    public void onEvent(ObjectNode message) {
                        events.add(message);
                    }

                    @Override
                    public void onLog(ObjectNode message) {
                        logs.add(message);
                    }

                    @Override
                    public void onEnd() {
                        ended.countDown();
                    }
                },
                "test-host");
        link.start();
    }

    @AfterEach
    void stop() throws IOException {
        host.close();
        timer.shutdownNow();
        answers.shutdownNow();
    }

    private void hostWrites(String line) throws IOException {
        host.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        host.flush();
    }

    private ObjectNode nextFromService() throws IOException {
        return (ObjectNode) json.readTree(fromService.readLine());
    }

    private static void awaitSize(List<?> list, int size) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(list).hasSize(size));
    }

    @Test
    void malformedOversizedAndUnknownLinesAreLoggedAndDroppedAndTheLinkGoesOn(CapturedOutput output) throws Exception {
        hostWrites("not json at all");
        hostWrites("[1,2,3]");
        hostWrites("{\"t\":\"shout\"}");
        hostWrites("{\"t\":\"evt\",\"socket\":1,\"event\":\"qr\",\"qr\":\"" + "x".repeat(MAX_LINE) + "\"}");
        hostWrites("{\"t\":\"res\",\"ok\":true}");
        hostWrites("{\"t\":\"req\",\"id\":9}");
        hostWrites("{\"t\":\"res\",\"id\":12345,\"ok\":true}");
        hostWrites("{\"t\":\"evt\",\"socket\":1,\"event\":\"open\",\"jid\":\"1@s.whatsapp.net\"}");
        hostWrites("{\"t\":\"log\",\"level\":\"warn\",\"msg\":\"hello\"}");
        awaitSize(events, 1);
        assertThat(events.getFirst().path("event").asString()).isEqualTo("open");
        awaitSize(logs, 1);
        assertThat(output)
                .contains("Dropped a malformed line from the Baileys host (15 characters)")
                .contains("Dropped a line from the Baileys host that is not a JSON object")
                .contains("unknown shape (t=shout)")
                .contains("longer than " + MAX_LINE + " bytes")
                .contains("Dropped an answer from the Baileys host without an id")
                .contains("Dropped a request from the Baileys host without an id or op");
        assertThat(requests).isEmpty();

        // and requests still work both ways
        hostWrites("{\"t\":\"req\",\"id\":1,\"op\":\"keys.get\",\"socket\":1,\"type\":\"session\",\"ids\":[\"1\"]}");
        ObjectNode answer = nextFromService();
        assertThat(answer.path("t").asString()).isEqualTo("res");
        assertThat(answer.path("id").asLong()).isEqualTo(1);
        assertThat(answer.path("ok").asBoolean()).isTrue();
        assertThat(answer.path("result").path("values").path("1").asString()).isEqualTo("{\"a\":1}");
    }

    @Test
    void aRequestGetsItsAnswerAndAnErrorAnswerNamesItsCode() throws Exception {
        CompletableFuture<JsonNode> ping = link.request("ping", json.createObjectNode());
        ObjectNode sent = nextFromService();
        assertThat(sent.path("t").asString()).isEqualTo("req");
        assertThat(sent.path("op").asString()).isEqualTo("ping");
        hostWrites("{\"t\":\"res\",\"id\":" + sent.path("id").asLong() + ",\"ok\":true,\"result\":{\"sockets\":2}}");
        assertThat(ping.get(10, TimeUnit.SECONDS).path("sockets").asInt()).isEqualTo(2);

        CompletableFuture<JsonNode> send =
                link.request("send.text", json.createObjectNode().put("socket", 3));
        long id = nextFromService().path("id").asLong();
        hostWrites("{\"t\":\"res\",\"id\":" + id
                + ",\"ok\":false,\"error\":{\"code\":\"unknown_number\",\"message\":\"nobody\"}}");
        assertThatThrownBy(() -> send.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(HostRequestException.class)
                .hasMessage("nobody")
                .satisfies(e -> assertThat(((HostRequestException) e).code()).isEqualTo("unknown_number"));
    }

    @Test
    void aRequestWithoutAnswerFailsAfterTheTimeoutAndALateAnswerIsIgnored() throws Exception {
        CompletableFuture<JsonNode> start = link.request("start", json.createObjectNode());
        long id = nextFromService().path("id").asLong();
        assertThatThrownBy(() -> start.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(HostRequestException.class)
                .satisfies(e -> assertThat(((HostRequestException) e).code()).isEqualTo("timeout"));
        hostWrites("{\"t\":\"res\",\"id\":" + id + ",\"ok\":true}");
        hostWrites("{\"t\":\"evt\",\"socket\":1,\"event\":\"open\"}");
        awaitSize(events, 1);
    }

    @Test
    void aRequestTheServiceCannotServeIsAnsweredWithItsError() throws Exception {
        hostWrites("{\"t\":\"req\",\"id\":4,\"op\":\"keys.set\",\"socket\":3,\"data\":{}}");
        ObjectNode answer = nextFromService();
        assertThat(answer.path("ok").asBoolean()).isFalse();
        assertThat(answer.path("error").path("code").asString()).isEqualTo("closed");
        assertThat(answer.path("error").path("message").asString()).isEqualTo("socket 3 ended");
    }

    @Test
    void aRequestTooLongToSendFailsWithoutBeingSent() throws Exception {
        CompletableFuture<JsonNode> big =
                link.request("send.text", json.createObjectNode().put("text", "y".repeat(MAX_LINE)));
        assertThatThrownBy(() -> big.get(10, TimeUnit.SECONDS))
                .cause()
                .satisfies(e -> assertThat(((HostRequestException) e).code()).isEqualTo("too_large"));
        link.request("ping", json.createObjectNode());
        assertThat(nextFromService().path("op").asString())
                .as("the next line is the next request")
                .isEqualTo("ping");
    }

    @Test
    void whenTheHostsOutputEndsWaitingRequestsFailAndThePeerHears() throws Exception {
        CompletableFuture<JsonNode> waiting = link.request("close", json.createObjectNode());
        nextFromService();
        host.close();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                .cause()
                .satisfies(e -> assertThat(((HostRequestException) e).code()).isEqualTo("closed"));
        assertThatThrownBy(() -> link.request("ping", json.createObjectNode()).get(10, TimeUnit.SECONDS))
                .cause()
                .satisfies(e -> assertThat(((HostRequestException) e).code()).isEqualTo("closed"));
    }
}
