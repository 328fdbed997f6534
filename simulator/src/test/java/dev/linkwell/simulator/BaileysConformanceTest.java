package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkwell.protocol.binary.Node;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator validated by clients nobody here wrote: each Baileys line from npm runs
 * {@code conformance/simulator-baileys.js} against the standalone simulator over real sockets (QR pairing, 515,
 * login, account queries, a message in messages.upsert, pairing code, 440 replaced and a new login, 401
 * removed), and the server side is checked for what the client did. {@code baileys@7.0.0-rc14} speaks today's wire (dictionary
 * v3, URL-form QR); {@code @whiskeysockets/baileys@6.17.16} proves the dictionary v2 path. Skipped with a message
 * when node or the package is missing, unless env {@code CI} is set, where that is a failure.
 */
class BaileysConformanceTest {

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(3);
    private static final String QR_DEVICE = "51987654321:1@s.whatsapp.net";
    private static final String CODE_DEVICE = "51955544433:1@s.whatsapp.net";

    /** A Baileys line: the script's argument, its npm folder, and what it sends out of the box. */
    enum Line {
        /** lib/Defaults/index.js: DICT_VERSION 3, INITIAL_PREKEY_COUNT 812, browser Browsers.macOS('Chrome'). */
        BAILEYS_7("7", "baileys", 3, 812, "Chrome (Mac OS)", true),
        /**
         * lib/Defaults/index.js: DICT_VERSION 2, INITIAL_PREKEY_COUNT 30. Not paired by code: its
         * companion_platform_id is "49" (lib/Utils/generics.js getPlatformId), which the real server refuses.
         */
        BAILEYS_6("6", "@whiskeysockets/baileys", 2, 30, null, false);

        final String arg;
        final String npmPackage;
        final int dictionary;
        final int initialPreKeys;
        final String platformDisplay;
        final boolean pairsByCode;

        Line(
                String arg,
                String npmPackage,
                int dictionary,
                int initialPreKeys,
                String platformDisplay,
                boolean pairsByCode) {
            this.arg = arg;
            this.npmPackage = npmPackage;
            this.dictionary = dictionary;
            this.initialPreKeys = initialPreKeys;
            this.platformDisplay = platformDisplay;
            this.pairsByCode = pairsByCode;
        }
    }

    @ParameterizedTest
    @EnumSource(Line.class)
    void baileysLinksLogsInReceivesAndIsDisconnectedLikeByTheRealServer(Line line) throws Exception {
        Path dir = conformanceDir(line);
        String node = findNode();
        // the script makes both lines report 2.3000.1045649367 (conformance/simulator-baileys.js VERSION), above
        // the simulator's minimum: Baileys 6.17.16 is here to prove the dictionary v2 path, not its stale version
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults());
                AdminHttpServer admin = AdminHttpServer.start(new AdminApi(sim), "127.0.0.1", 0)) {
            JsonNode result = run(node, dir, admin.url(), sim.webSocketUrl(), line);
            List<String> steps = new ArrayList<>();
            result.path("steps")
                    .forEach(s -> steps.add(
                            s.isTextual() ? s.asText() : s.path("step").asText()));
            List<String> expected = new ArrayList<>(List.of(
                    "load baileys",
                    "create phones",
                    "qr: first QR event",
                    "qr: phone scans, pair-success accepted",
                    "qr: server restarts the stream with 515",
                    "login: reconnect opens",
                    "login: account queries answered",
                    "online: the phone syncs its new companion, a live message surfaces",
                    "message: arrives in messages.upsert"));
            if (line.pairsByCode) {
                expected.addAll(List.of(
                        "code: companion_hello and code entry",
                        "code: pair-success accepted and 515",
                        "code: login opens"));
            }
            expected.addAll(List.of(
                    "replaced: 440 connectionReplaced",
                    "replaced: the same credentials log in again",
                    "removed: 401 loggedOut",
                    "removed: login with removed credentials fails with 401"));
            assertThat(steps).containsExactlyElementsOf(expected);
            JsonNode login = result.path("steps").get(steps.indexOf("login: reconnect opens"));
            assertThat(login.path("preKeys").asInt()).isEqualTo(line.initialPreKeys);

            // the server side saw what Baileys did
            assertThat(sim.events())
                    .filteredOn(e -> e.type().equals("handshake"))
                    .hasSize(line.pairsByCode ? 7 : 5)
                    .allMatch(e -> e.detail().equals("dictionary v" + line.dictionary));
            assertThat(sim.events()).anyMatch(e -> e.type().equals("paired") && "qr".equals(e.detail()));
            assertThat(sim.nodes()).anyMatch(n -> n.node().child("pair-device-sign") != null);
            assertThat(sim.nodes(QR_DEVICE)).anyMatch(n -> n.isIq("passive", "active"));
            // the whole first batch of prekeys went up in one iq at the first login, none at later ones
            assertThat(sim.nodes(QR_DEVICE))
                    .filteredOn(n -> n.isIq("encrypt", "list"))
                    .hasSize(1)
                    .allSatisfy(n ->
                            assertThat(n.node().child("list").children("key")).hasSize(line.initialPreKeys));
            assertThat(sim.events()).anyMatch(e -> e.type().equals("replaced") && QR_DEVICE.equals(e.deviceJid()));
            assertThat(sim.events())
                    .anyMatch(e -> e.type().equals("device-removed") && QR_DEVICE.equals(e.deviceJid()));
            assertThat(sim.events()).anyMatch(e -> e.type().equals("login-rejected") && QR_DEVICE.equals(e.detail()));
            if (line.pairsByCode) {
                assertThat(sim.events()).anyMatch(e -> e.type().equals("paired") && "code".equals(e.detail()));
                // companion_hello carried Baileys' own platform (Chrome = "1"), accepted as is
                Node hello = sim.nodes().stream()
                        .map(n -> n.node().child("link_code_companion_reg"))
                        .filter(r -> r != null && "companion_hello".equals(r.attr("stage")))
                        .findFirst()
                        .orElseThrow();
                assertThat(hello.child("companion_platform_id").contentString()).isEqualTo("1");
                assertThat(hello.child("companion_platform_display").contentString())
                        .isEqualTo(line.platformDisplay);
                assertThat(sim.devices()).extracting(LinkedDevice::jid).containsExactly(CODE_DEVICE);
            } else {
                assertThat(sim.devices()).isEmpty();
            }
            if (line == Line.BAILEYS_7) {
                // a message from a phone number made Baileys 7 look up the sender's LID before decrypting
                assertThat(sim.nodes(QR_DEVICE)).anyMatch(n -> n.isIq("usync", "usync"));
            }
            // Baileys decrypted the phone's Signal messages: it answered them with receipts, none with a retry,
            // acknowledged the history notification, and synced its app state
            assertThat(sim.events())
                    .anyMatch(e -> e instanceof SimulatorEvent.CompanionSynced c
                            && c.sent()
                            && QR_DEVICE.equals(e.deviceJid()));
            assertThat(sim.nodes(QR_DEVICE))
                    .noneMatch(n ->
                            n.tag().equals("receipt") && "retry".equals(n.node().attr("type")));
            assertThat(sim.nodes(QR_DEVICE))
                    .anyMatch(n -> n.tag().equals("receipt")
                            && "hist_sync".equals(n.node().attr("type")));
            assertThat(sim.nodes(QR_DEVICE)).anyMatch(n -> n.isIq("w:sync:app:state", "sync"));
        }
    }

    private static JsonNode run(String node, Path dir, String adminUrl, String wsUrl, Line line) throws Exception {
        JsonNode result = runScript(node, dir, "simulator-baileys.js", adminUrl, wsUrl, line.arg);
        assertThat(result.path("line").asText()).isEqualTo(line.arg);
        return result;
    }

    /** Runs a script of {@code conformance/} with node and returns its last output line, which must say ok. */
    static JsonNode runScript(String node, Path dir, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(node, dir.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
        pb.environment().put("STEP_TIMEOUT_MS", "20000");
        Process p = pb.start();
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            boolean finished = p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(finished)
                    .as("Baileys script finished within %s", PROCESS_TIMEOUT)
                    .isTrue();
            String stdout = out.get(10, TimeUnit.SECONDS);
            String stderr = err.get(10, TimeUnit.SECONDS);
            String last = lastLine(stdout);
            assertThat(last).as("script output (stderr: %s)", stderr).isNotBlank();
            JsonNode result = new ObjectMapper().readTree(last);
            assertThat(result.path("ok").asBoolean())
                    .as(
                            "%s failed at step '%s': %s (stderr: %s)",
                            script,
                            result.path("step").asText(),
                            result.path("error").asText(),
                            stderr)
                    .isTrue();
            assertThat(p.exitValue()).isZero();
            return result;
        } finally {
            p.destroyForcibly();
        }
    }

    static Path conformanceDir(Line line) {
        String dir = System.getProperty("conformance.dir");
        String problem = null;
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            problem = "system property conformance.dir is not set to a folder (got " + dir + ")";
        } else if (!Files.isDirectory(Path.of(dir, "node_modules").resolve(line.npmPackage))) {
            problem = line.npmPackage + " is not installed in " + dir + "/node_modules (run conformance/install.sh)";
        }
        if (problem == null && findNodeOrNull() == null) {
            problem = "node is not on PATH";
        }
        if (problem != null) {
            unavailable(problem);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    static String findNode() {
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
