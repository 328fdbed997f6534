package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkwell.protocol.version.WaVersion;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The simulator validated by a client nobody here wrote: Baileys 6.17.16 from npm runs
 * {@code conformance/simulator-baileys.js} against it (QR pairing, 515, login, a message in
 * messages.upsert, pairing code, 440 replaced, 401 removed). Skipped with a message when node or
 * conformance/node_modules is missing, unless env {@code CI} is set, where that is a failure.
 */
class BaileysConformanceTest {

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void baileysLinksLogsInReceivesAndIsDisconnectedLikeByTheRealServer() throws Exception {
        Path dir = conformanceDir();
        String node = findNode();
        // The script pins 2.3000.1023223821 (conformance/simulator-baileys.js VERSION), older than the default
        // minimum: Baileys 6.17.16 is here to prove the dictionary v2 path, not today's version, so this
        // simulator serves it; MinVersionTest covers the 405 that refuses such a version by default.
        SimulatorConfig config = SimulatorConfig.defaults().withMinVersion(WaVersion.parse("2.3000.1023223821"));
        try (WaSimulator sim = WaSimulator.start(config);
             AdminHttpServer admin = AdminHttpServer.start(new AdminApi(sim), "127.0.0.1", 0)) {
            ProcessBuilder pb = new ProcessBuilder(node, dir.resolve("simulator-baileys.js").toString(), admin.url(),
                    sim.webSocketUrl()).directory(dir.toFile()).redirectErrorStream(false);
            pb.environment().put("STEP_TIMEOUT_MS", "20000");
            Process p = pb.start();
            try {
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
                boolean finished = p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(finished).as("Baileys script finished within %s", PROCESS_TIMEOUT).isTrue();
                String stdout = out.get(10, TimeUnit.SECONDS);
                String stderr = err.get(10, TimeUnit.SECONDS);
                String last = lastLine(stdout);
                assertThat(last).as("script output (stderr: %s)", stderr).isNotBlank();
                JsonNode result = new ObjectMapper().readTree(last);
                assertThat(result.path("ok").asBoolean())
                        .as("Baileys run failed at step '%s': %s (stderr: %s)", result.path("step").asText(),
                                result.path("error").asText(), stderr)
                        .isTrue();
                assertThat(p.exitValue()).isZero();
                List<String> steps = new ArrayList<>();
                result.path("steps").forEach(s -> steps.add(s.isTextual() ? s.asText() : s.path("step").asText()));
                assertThat(steps).containsExactly(
                        "create phones",
                        "qr: first QR event",
                        "qr: phone scans, pair-success accepted",
                        "qr: server restarts the stream with 515",
                        "login: reconnect opens",
                        "message: arrives in messages.upsert",
                        "code: companion_hello and code entry",
                        "code: pair-success accepted and 515",
                        "code: login opens",
                        "replaced: 440 connectionReplaced",
                        "removed: 401 loggedOut",
                        "removed: login with removed credentials fails with 401");
            } finally {
                p.destroyForcibly();
            }
            // the server side saw what Baileys did
            assertThat(sim.events()).anyMatch(e -> e.type().equals("paired") && "qr".equals(e.detail()));
            assertThat(sim.events()).anyMatch(e -> e.type().equals("paired") && "code".equals(e.detail()));
            assertThat(sim.nodes()).anyMatch(n -> n.node().child("pair-device-sign") != null);
            assertThat(sim.nodes()).anyMatch(n -> n.isIq("w:p", "ping") || n.isIq("passive", "active"));
            assertThat(sim.devices()).extracting(LinkedDevice::jid).containsExactly("51987654321:1@s.whatsapp.net");
        }
    }

    private static Path conformanceDir() {
        String dir = System.getProperty("conformance.dir");
        String problem = null;
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            problem = "system property conformance.dir is not set to a folder (got " + dir + ")";
        } else if (!Files.isDirectory(Path.of(dir, "node_modules", "@whiskeysockets", "baileys"))) {
            problem = "Baileys is not installed in " + dir + "/node_modules (run conformance/install.sh)";
        }
        if (problem == null && findNodeOrNull() == null) {
            problem = "node is not on PATH";
        }
        if (problem != null) {
            unavailable(problem);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    private static String findNode() {
        String node = findNodeOrNull();
        if (node == null) {
            unavailable("node is not on PATH");
        }
        return node;
    }

    private static String findNodeOrNull() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            for (String name : List.of("node", "node.exe")) {
                Path candidate = Path.of(d, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    private static void unavailable(String problem) {
        if (System.getenv("CI") != null) {
            throw new AssertionError("Baileys conformance cannot run on CI: " + problem);
        }
        Assumptions.abort("Baileys conformance skipped: " + problem);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
