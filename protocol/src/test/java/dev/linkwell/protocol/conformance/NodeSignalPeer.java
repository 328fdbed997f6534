package dev.linkwell.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code conformance/signal-check.js}: one JSON request per line in, one answer per line out.
 * Every call waits at most {@link #CALL_TIMEOUT_SECONDS} for its answer.
 */
final class NodeSignalPeer implements AutoCloseable {

    static final long CALL_TIMEOUT_SECONDS = 60;

    private static final String EOF = "\u0000eof";

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> stderr;

    private NodeSignalPeer(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stderr = NodeConformance.drain(process.getErrorStream(), "signal-check-stderr");
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            answers.add(line);
                        }
                    } catch (IOException ignored) {
                        // process ended
                    } finally {
                        answers.add(EOF);
                    }
                },
                "signal-check-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the script; skips (or fails in CI) when node or libsignal is missing. */
    static NodeSignalPeer start() throws IOException {
        Path dir = NodeConformance.conformanceDir("libsignal");
        String node = NodeConformance.node();
        return new NodeSignalPeer(new ProcessBuilder(node, "signal-check.js")
                .directory(dir.toFile())
                .start());
    }

    /** Sends one request and returns its answer; fails the test when the script reports an error. */
    JsonNode call(Map<String, ?> request) throws IOException, InterruptedException {
        JsonNode answer = callAllowingError(request);
        assertThat(answer.path("ok").asBoolean())
                .as("%s answered %s; stderr: %s", request.get("op"), answer, stderr)
                .isTrue();
        return answer;
    }

    JsonNode callAllowingError(Map<String, ?> request) throws IOException, InterruptedException {
        stdin.write(json.writeValueAsBytes(request));
        stdin.write('\n');
        stdin.flush();
        String line = answers.poll(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(line)
                .as("answer to %s within %d s; stderr: %s", request.get("op"), CALL_TIMEOUT_SECONDS, stderr)
                .isNotNull()
                .isNotEqualTo(EOF);
        return json.readTree(line);
    }

    @Override
    public void close() {
        try {
            stdin.close();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // destroyed below either way
        } finally {
            process.destroyForcibly();
        }
    }
}
