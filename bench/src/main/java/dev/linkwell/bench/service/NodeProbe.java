package dev.linkwell.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the Baileys host's memory from inside, as {@link JvmProbe} reads the service's with jcmd. The service starts
 * its host with the environment it got, so {@code NODE_OPTIONS="--expose-gc --require node-probe.cjs"} loads a small
 * script into it (this folder's {@code node-probe.cjs}) that answers {@code GET /memory} on a loopback port: it
 * collects garbage until the heap stops shrinking and returns {@code process.memoryUsage()}; it also tells how late
 * the event loop ran, and writes heap snapshots on request. The script writes its port to {@code <dir>/<pid>.json};
 * it never writes to stdout, the host's protocol channel.
 */
final class NodeProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path script;
    private final boolean cpuProfiles;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeProbe(Path dir, Path script, boolean cpuProfiles) {
        this.dir = dir;
        this.script = script;
        this.cpuProfiles = cpuProfiles;
    }

    /**
     * Writes the probe scripts into {@code dir} and returns the probe that reads what they report there.
     *
     * @param cpuProfiles whether the Node processes sample their CPU from the start, for {@link #takeCpuProfile}
     */
    static NodeProbe install(Path dir, boolean cpuProfiles) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("node-probe.cjs", "heap-summary.cjs")) {
            try (InputStream in = NodeProbe.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException(name + " is missing from the class path");
                }
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        return new NodeProbe(dir, dir.resolve("node-probe.cjs"), cpuProfiles);
    }

    /**
     * What a service must pass to the Node processes it starts.
     *
     * @param nodeOptions NODE_OPTIONS the caller gave ({@code --service-env NODE_OPTIONS=--cpu-prof ...}), kept ahead
     *     of the probe's, or null
     */
    Map<String, String> environment(String nodeOptions) {
        String probe = "--expose-gc --require " + script.toAbsolutePath();
        return Map.of(
                "NODE_OPTIONS",
                nodeOptions == null || nodeOptions.isBlank() ? probe : nodeOptions.strip() + " " + probe,
                "LINKWELL_BENCH_PROBE_DIR",
                dir.toAbsolutePath().toString(),
                "LINKWELL_BENCH_CPU_PROFILE",
                cpuProfiles ? "1" : "0");
    }

    /**
     * The memory of one Node process after garbage collection.
     *
     * @param heapUsed V8's heap in use (JavaScript objects)
     * @param external memory of C++ objects bound to JavaScript ones outside the V8 heap: Buffers and ArrayBuffers
     *     (socket buffers, keys), which the JVM keeps in its heap as byte arrays
     */
    record Memory(long rss, long heapTotal, long heapUsed, long external, long arrayBuffers, int gcRounds) {}

    Memory read(long pid) throws IOException, InterruptedException {
        JsonNode m = get(pid, "memory");
        return new Memory(
                m.path("rss").asLong(),
                m.path("heapTotal").asLong(),
                m.path("heapUsed").asLong(),
                m.path("external").asLong(),
                m.path("arrayBuffers").asLong(),
                m.path("gcRounds").asInt());
    }

    /**
     * How late the host's event loop ran its callbacks since the previous call (sampled every 10 ms): every socket
     * of the host waits that long for its timers and its incoming frames. With it, the collector's pauses in the same
     * time (not those the probe forces), which stop the loop too: whether they explain the lateness.
     */
    record EventLoopDelay(double meanMs, double p99Ms, double maxMs, GcPauses gc) {}

    /**
     * @param majorCount the mark-compact collections among them, which walk the whole heap
     * @param majorMs their pauses, in total
     */
    record GcPauses(int count, double totalMs, double maxMs, int majorCount, double majorMs) {}

    /** The delay since the previous call, which starts a new period. */
    EventLoopDelay eventLoop(long pid) throws IOException, InterruptedException {
        JsonNode d = get(pid, "event-loop");
        JsonNode gc = d.path("gc");
        return new EventLoopDelay(
                d.path("meanMs").asDouble(),
                d.path("p99Ms").asDouble(),
                d.path("maxMs").asDouble(),
                new GcPauses(
                        gc.path("count").asInt(),
                        gc.path("totalMs").asDouble(),
                        gc.path("maxMs").asDouble(),
                        gc.path("majorCount").asInt(),
                        gc.path("majorMs").asDouble()));
    }

    /**
     * The host's V8 heap by constructor, largest first ({@code heap-summary.cjs} over a heap snapshot the probe
     * writes; the host stops for as long as the snapshot takes, so only for diagnosis).
     */
    String heapSummary(long pid, int lines) throws IOException, InterruptedException {
        Path snapshot = Path.of(get(pid, "heap-snapshot").path("file").asText());
        try {
            Process p = new ProcessBuilder(
                            "node",
                            "--max-old-space-size=8192",
                            dir.resolve("heap-summary.cjs").toString(),
                            snapshot.toString(),
                            Integer.toString(lines))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } finally {
            Files.deleteIfExists(snapshot);
        }
    }

    boolean cpuProfiles() {
        return cpuProfiles;
    }

    /**
     * Moves the CPU profile the process sampled since it started, or since the previous take, to {@code target} (a
     * {@code .cpuprofile} for Chrome's DevTools or {@link CpuProfileSummary}); the process starts the next one.
     */
    void takeCpuProfile(long pid, Path target) throws IOException, InterruptedException {
        Path written = Path.of(get(pid, "cpu-profile").path("file").asText());
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private JsonNode get(long pid, String what) throws IOException, InterruptedException {
        Path portFile = dir.resolve(pid + ".json");
        if (!Files.exists(portFile)) {
            throw new IllegalStateException("the Node process " + pid + " runs without the probe (no " + portFile
                    + "): was NODE_OPTIONS passed on?");
        }
        int port = JSON.readTree(portFile.toFile()).path("port").asInt();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + what))
                        .timeout(Duration.ofMinutes(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("node probe /" + what + " answered " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
