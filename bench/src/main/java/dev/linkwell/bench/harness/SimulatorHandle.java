package dev.linkwell.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkwell.simulator.ConnectionAttempts;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The loopback WhatsApp simulator a harness pairs against: in a child JVM (default) or in-process. */
public interface SimulatorHandle extends AutoCloseable {

    String webSocketUrl();

    String trustAnchorHex();

    /** Adds a phone with this number; returns its id. */
    String addPhone(String number);

    /** The phone scans the QR text; blocks until the link is complete; returns the linked device's JID. */
    String scan(String phoneId, String qr);

    /**
     * Phone {@code fromPhoneId} sends a Signal-encrypted text to a linked device: one to one, or as a member of
     * {@code group} (sender key) when that is not null. Returns the message id the device will report.
     */
    String sendMessage(String deviceJid, String fromPhoneId, String text, String group);

    /** The simulator's own process id, or -1 when it runs in ours. */
    default long pid() {
        return -1;
    }

    /** The process whose CPU time holds the simulator's work: its own, or ours (with the harness's) when it runs in ours. */
    default long cpuPid() {
        return pid() > 0 ? pid() : ProcessHandle.current().pid();
    }

    /** WebSocket upgrade requests per second the simulator saw, and in total. */
    ConnectionAttempts.Snapshot connectionAttempts();

    /** Resident set of the simulator's own process in KiB, or -1 when it shares ours. */
    long rssKiB();

    String describe();

    @Override
    void close();

    /** Stops at once, without waiting (for the overall-timeout path). */
    default void kill() {}

    // ------------------------------------------------------------------------------------------------

    /** The simulator inside the measuring JVM: simple, but its memory and threads mix with the client's. */
    final class InProcess implements SimulatorHandle {
        private final WaSimulator sim;

        public InProcess() {
            sim = WaSimulator.start(SimulatorConfig.defaults());
        }

        @Override
        public String webSocketUrl() {
            return sim.webSocketUrl();
        }

        @Override
        public String trustAnchorHex() {
            return sim.trustAnchor().hex();
        }

        @Override
        public String addPhone(String number) {
            return sim.addPhone(number).id();
        }

        @Override
        public String scan(String phoneId, String qr) {
            return sim.phone(phoneId).scan(qr).jid();
        }

        @Override
        public String sendMessage(String deviceJid, String fromPhoneId, String text, String group) {
            var from = sim.phone(fromPhoneId);
            return group == null
                    ? sim.sendMessage(deviceJid, from, text)
                    : sim.sendGroupMessage(deviceJid, from, group, text);
        }

        @Override
        public ConnectionAttempts.Snapshot connectionAttempts() {
            return sim.connectionAttempts();
        }

        @Override
        public long rssKiB() {
            return -1;
        }

        @Override
        public String describe() {
            return "in-process (its heap, threads and RSS ARE included in the figures)";
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    /**
     * The simulator's {@code Main} in a child JVM started from this JVM's own class path (the shaded
     * benchmarks jar contains it), driven through its admin HTTP API. The measuring JVM then holds
     * only the engine sessions, the shared engine runtime and one small admin HTTP client.
     */
    final class Child implements SimulatorHandle {
        private static final ObjectMapper JSON = new ObjectMapper();

        private final Process process;
        private final HttpClient admin;
        private final URI adminUrl;
        private final String wsUrl;
        private final String anchor;
        private final List<String> command;

        public Child(List<String> jvmOptions, Duration startTimeout) throws IOException {
            String javaBin =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBin);
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("dev.linkwell.simulator.Main");
            cmd.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--admin-port", "0"));
            this.command = List.copyOf(cmd);
            process = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Map<String, String>> banner = CompletableFuture.supplyAsync(
                    () -> banner(out), r -> Thread.ofVirtual().start(r));
            Map<String, String> b;
            try {
                b = banner.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("simulator child did not start within " + startTimeout + ": " + e, e);
            }
            // keep draining its stdout so it can never block on a full pipe
            Thread.ofVirtual().start(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // child gone
                }
            });
            wsUrl = b.get("WebSocket URL");
            String ad = b.get("Admin API");
            adminUrl = URI.create(ad.endsWith("/") ? ad : ad + "/");
            anchor = b.get("Trust anchor");
            // virtual-thread executor: the default one keeps idle platform worker threads for 60 s,
            // which would show up in the measured thread count
            admin = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
        }

        /** The three lines {@code Main} prints once it listens: WebSocket URL, admin API, trust anchor. */
        private static Map<String, String> banner(BufferedReader out) {
            Map<String, String> found = new java.util.HashMap<>();
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    for (String key : List.of("WebSocket URL", "Admin API", "Trust anchor")) {
                        if (line.startsWith(key + ":")) {
                            found.put(key, line.substring(key.length() + 1).strip());
                        }
                    }
                    if (found.size() == 3) {
                        return found;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("simulator exited before printing its URLs");
        }

        @Override
        public String webSocketUrl() {
            return wsUrl;
        }

        @Override
        public String trustAnchorHex() {
            return anchor;
        }

        @Override
        public String addPhone(String number) {
            JsonNode phone = send("POST", "phones", JSON.createObjectNode().put("number", number), 201);
            String id = phone.path("id").asText(null);
            if (id == null) {
                throw new IllegalStateException("no phone id in " + phone);
            }
            return id;
        }

        @Override
        public String scan(String phoneId, String qr) {
            JsonNode device = send(
                    "POST",
                    "phones/" + phoneId + "/scan",
                    JSON.createObjectNode().put("qr", qr),
                    200);
            return device.path("jid").asText();
        }

        @Override
        public String sendMessage(String deviceJid, String fromPhoneId, String text, String group) {
            var body = JSON.createObjectNode().put("from", fromPhoneId).put("text", text);
            if (group != null) {
                body.put("group", group);
            }
            String path = "devices/" + URLEncoder.encode(deviceJid, StandardCharsets.UTF_8) + "/messages";
            return send("POST", path, body, 202).path("id").asText();
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public ConnectionAttempts.Snapshot connectionAttempts() {
            JsonNode body = send("GET", "connection-attempts", null, 200);
            List<ConnectionAttempts.Second> seconds = new ArrayList<>();
            body.path("perSecond")
                    .forEach(s -> seconds.add(new ConnectionAttempts.Second(
                            Instant.parse(s.path("at").asText()),
                            s.path("count").asInt())));
            return new ConnectionAttempts.Snapshot(body.path("total").asLong(), List.copyOf(seconds));
        }

        private JsonNode send(String method, String path, JsonNode body, int expected) {
            HttpRequest.Builder req = HttpRequest.newBuilder(adminUrl.resolve(path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            req.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString()));
            try {
                HttpResponse<String> r = admin.send(req.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != expected) {
                    throw new IllegalStateException(method + " /" + path + " -> " + r.statusCode() + " " + r.body());
                }
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(method + " /" + path + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        @Override
        public long rssKiB() {
            return ProcFs.rssKiB(process.pid());
        }

        @Override
        public String describe() {
            return "child JVM pid " + process.pid() + " (its memory and threads are NOT included): "
                    + String.join(" ", command.subList(0, command.indexOf("-cp"))) + " ... dev.linkwell.simulator.Main";
        }

        @Override
        public void kill() {
            process.destroyForcibly();
        }

        @Override
        public void close() {
            admin.shutdownNow();
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
