package dev.linkwell.bench;

import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The loopback WhatsApp simulator the harness pairs against: in a child JVM (default) or in-process. */
interface SimulatorHandle extends AutoCloseable {

    String webSocketUrl();

    String trustAnchorHex();

    /** Adds a phone with this number; returns its id. */
    String addPhone(String number);

    /** The phone scans the QR text; blocks until the link is complete. */
    void scan(String phoneId, String qr);

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

        InProcess() {
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
        public void scan(String phoneId, String qr) {
            Phone p = sim.phone(phoneId);
            p.scan(qr);
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
        private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

        private final Process process;
        private final HttpClient admin;
        private final URI adminUrl;
        private final String wsUrl;
        private final String anchor;
        private final List<String> command;

        Child(List<String> jvmOptions, Duration startTimeout) throws IOException {
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
            CompletableFuture<String[]> banner = CompletableFuture.supplyAsync(
                    () -> {
                        String ws = null;
                        String ad = null;
                        String ta = null;
                        try {
                            String line;
                            while ((line = out.readLine()) != null) {
                                if (line.startsWith("WebSocket URL:")) {
                                    ws = line.substring(line.indexOf(':') + 1).strip();
                                } else if (line.startsWith("Admin API:")) {
                                    ad = line.substring(line.indexOf(':') + 1).strip();
                                } else if (line.startsWith("Trust anchor:")) {
                                    ta = line.substring(line.indexOf(':') + 1).strip();
                                }
                                if (ws != null && ad != null && ta != null) {
                                    return new String[] {ws, ad, ta};
                                }
                            }
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                        throw new IllegalStateException("simulator exited before printing its URLs");
                    },
                    r -> Thread.ofVirtual().start(r));
            String[] b;
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
            wsUrl = b[0];
            adminUrl = URI.create(b[1].endsWith("/") ? b[1] : b[1] + "/");
            anchor = b[2];
            // virtual-thread executor: the default one keeps idle platform worker threads for 60 s,
            // which would show up in the measured thread count
            admin = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
                    .build();
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
            String body = post("phones", "{\"number\":\"" + number + "\"}", 201);
            Matcher m = ID.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no phone id in " + body);
            }
            return m.group(1);
        }

        @Override
        public void scan(String phoneId, String qr) {
            post(
                    "phones/" + phoneId + "/scan",
                    "{\"qr\":\"" + qr.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}",
                    200);
        }

        private String post(String path, String json, int expected) {
            HttpRequest req = HttpRequest.newBuilder(adminUrl.resolve(path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            try {
                HttpResponse<String> r = admin.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != expected) {
                    throw new IllegalStateException("POST /" + path + " -> " + r.statusCode() + " " + r.body());
                }
                return r.body();
            } catch (IOException e) {
                throw new IllegalStateException("POST /" + path + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        @Override
        public long rssKiB() {
            return Footprint.rssKiB(Path.of("/proc", Long.toString(process.pid()), "status"));
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
