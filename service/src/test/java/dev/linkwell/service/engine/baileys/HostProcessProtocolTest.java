package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Node host's end of the stdio link, run as the service runs it ({@code node host.js}) and fed by hand: a line
 * that is not JSON, not an object, of an unknown shape, an unknown op or longer than the limit is reported as a log
 * line and dropped, and the host keeps answering. It exits by itself when its stdin ends.
 */
class HostProcessProtocolTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private Process host;
    private OutputStream in;
    private BufferedReader out;

    @BeforeAll
    static void needsTheHost() {
        BaileysInstall.assumeInstalled();
    }

    @BeforeEach
    void launch() throws IOException {
        launch(List.of());
    }

    /** Starts the host with the command line the service gives it. */
    private void launch(List<String> nodeOptions) throws IOException {
        if (host != null) {
            host.destroyForcibly();
        }
        host = new ProcessBuilder(HostProcess.command(new NodeRuntime("node", BaileysInstall.hostDir()), nodeOptions))
                .directory(BaileysInstall.hostDir().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        in = host.getOutputStream();
        out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
    }

    @AfterEach
    void kill() {
        host.destroyForcibly();
    }

    private void send(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Lines the host writes until one matches (each read is bounded by the host answering at all). */
    private List<ObjectNode> readUntil(Predicate<ObjectNode> last) throws IOException {
        List<ObjectNode> lines = new ArrayList<>();
        while (true) {
            String line = out.readLine();
            assertThat(line).as("the host ended its output early; got " + lines).isNotNull();
            ObjectNode node = (ObjectNode) json.readTree(line);
            lines.add(node);
            if (last.test(node)) {
                return lines;
            }
        }
    }

    private static Predicate<ObjectNode> answerTo(int id) {
        return n -> n.path("t").asString().equals("res") && n.path("id").asInt() == id;
    }

    private ObjectNode configure(int maxLineBytes) throws IOException {
        send("{\"t\":\"req\",\"id\":1,\"op\":\"configure\",\"url\":\"ws://127.0.0.1:9/ws/chat\",\"trustAnchor\":\""
                + "ab".repeat(32)
                + "\",\"version\":[2,3000,1045649367],\"browser\":[\"Linux\",\"Chrome\",\"\"],\"connectTimeoutMs\":2000,"
                + "\"keepAliveIntervalMs\":30000,\"queryTimeoutMs\":5000,\"requestTimeoutMs\":5000,\"maxLineBytes\":"
                + maxLineBytes + "}");
        ObjectNode answer = readUntil(answerTo(1)).getLast();
        assertThat(answer.path("ok").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.path("result").path("baileys").asString()).isEqualTo("7.0.0-rc14");
        return (ObjectNode) answer.path("result");
    }

    @Test
    void baileysMaxHeapIsTheHostsHeapLimit() throws IOException {
        launch(bind("1536MB").nodeOptions());
        long limitMiB = configure(65_536).path("heapLimit").asLong() >> 20;
        // V8's limit is the old space plus its young generation's few MiB
        assertThat(limitMiB).isBetween(1536L, 1600L);

        assertThat(bind("").nodeOptions())
                .as("an empty BAILEYS_MAX_HEAP keeps V8's own limit")
                .isEmpty();
        assertThatThrownBy(() -> bind("100MB"))
                .rootCause()
                .hasMessageContaining("max-heap (BAILEYS_MAX_HEAP) must be between 256MB and 1024GB, got 100MB");
    }

    private static BaileysProperties bind(String maxHeap) {
        return new Binder(new MapConfigurationPropertySource(Map.of("linkwell.baileys.max-heap", maxHeap)))
                .bindOrCreate("linkwell.baileys", BaileysProperties.class);
    }

    @Test
    void garbageIsLoggedAndDroppedAndTheHostKeepsAnswering() throws IOException {
        configure(65_536);
        send("this is not json");
        send("[\"an\",\"array\"]");
        send("{\"t\":\"gossip\"}");
        send("{\"t\":\"req\",\"id\":2,\"op\":\"format-disk\"}");
        send("{\"t\":\"req\",\"id\":3,\"op\":\"ping\",\"pad\":\"" + "z".repeat(70_000) + "\"}");
        send("{\"t\":\"req\",\"id\":4,\"op\":\"ping\"}");
        List<ObjectNode> lines = readUntil(answerTo(4));

        List<String> logged = lines.stream()
                .filter(n -> n.path("t").asString().equals("log"))
                .map(n -> n.path("msg").asString())
                .toList();
        assertThat(logged)
                .anyMatch(m -> m.startsWith("dropped a malformed line from the service (16 characters)"))
                .anyMatch(m -> m.equals("dropped a line from the service that is not a JSON object"))
                .anyMatch(m -> m.contains("unknown shape (t=\"gossip\")"))
                .anyMatch(m -> m.equals("dropped a line from the service longer than 65536 bytes"));
        ObjectNode unknownOp = lines.stream().filter(answerTo(2)).findFirst().orElseThrow();
        assertThat(unknownOp.path("ok").asBoolean()).isFalse();
        assertThat(unknownOp.path("error").path("code").asString()).isEqualTo("unknown_op");
        assertThat(lines.stream().filter(answerTo(3)))
                .as("the oversized request was dropped, not answered")
                .isEmpty();
        assertThat(lines.getLast().path("ok").asBoolean()).isTrue();
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() throws IOException {
        send("{\"t\":\"req\",\"id\":1,\"op\":\"start\",\"socket\":1}");
        ObjectNode early = readUntil(answerTo(1)).getLast();
        assertThat(early.path("error").path("code").asString()).isEqualTo("not_configured");
        send("{\"t\":\"req\",\"id\":2,\"op\":\"configure\",\"url\":\"http://example.com\"}");
        assertThat(readUntil(answerTo(2))
                        .getLast()
                        .path("error")
                        .path("message")
                        .asString())
                .contains("ws:// or wss://");
        configure(65_536);
        send("{\"t\":\"req\",\"id\":5,\"op\":\"start\",\"socket\":7,\"creds\":\"{not json\"}");
        assertThat(readUntil(answerTo(5)).getLast().path("error").path("code").asString())
                .isEqualTo("bad_creds");
        send("{\"t\":\"req\",\"id\":6,\"op\":\"send.text\",\"socket\":99,\"to\":\"1@s.whatsapp.net\",\"text\":\"hi\"}");
        assertThat(readUntil(answerTo(6)).getLast().path("error").path("code").asString())
                .isEqualTo("not_ready");
    }

    @Test
    void theHostExitsWhenItsInputEnds() throws Exception {
        configure(65_536);
        in.close();
        assertThat(host.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(host.exitValue()).isZero();
    }
}
