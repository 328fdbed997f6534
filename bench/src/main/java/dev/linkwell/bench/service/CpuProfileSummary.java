package dev.linkwell.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Node process spent its time, from the {@code .cpuprofile} V8 writes ({@code NODE_OPTIONS=--cpu-prof}, passed
 * to the Baileys host with {@code --service-env}): self time by package and by function, largest first. Self time is
 * the time a function itself was on top of the stack, so the lines add up to the whole profile, idle included.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.linkwell.bench.service.CpuProfileSummary FILE.cpuprofile [LINES]</pre>
 */
public final class CpuProfileSummary {

    private static final Pattern PACKAGE = Pattern.compile(".*/node_modules/((?:@[^/]+/)?[^/]+)/.*");

    /** Self time of one package or function, in microseconds. */
    record Share(String name, long micros) {}

    private final long totalMicros;
    private final List<Share> packages;
    private final List<Share> functions;

    private CpuProfileSummary(long totalMicros, List<Share> packages, List<Share> functions) {
        this.totalMicros = totalMicros;
        this.packages = packages;
        this.functions = functions;
    }

    static CpuProfileSummary of(JsonNode profile) {
        Map<Integer, JsonNode> frames = new HashMap<>();
        for (JsonNode node : profile.path("nodes")) {
            frames.put(node.path("id").asInt(), node.path("callFrame"));
        }
        JsonNode samples = profile.path("samples");
        JsonNode deltas = profile.path("timeDeltas");
        if (samples.size() != deltas.size()) {
            throw new IllegalArgumentException(
                    "not a V8 CPU profile: " + samples.size() + " samples but " + deltas.size() + " time deltas");
        }
        Map<String, Long> byPackage = new HashMap<>();
        Map<String, Long> byFunction = new HashMap<>();
        long total = 0;
        for (int i = 0; i < samples.size(); i++) {
            // V8 records the time before each sample; the time a sample stands for is the gap to the next one
            long micros = i + 1 < deltas.size() ? Math.max(0, deltas.get(i + 1).asLong()) : 0;
            JsonNode frame = frames.get(samples.get(i).asInt());
            if (frame == null) {
                throw new IllegalArgumentException("sample " + i + " names node " + samples.get(i) + ", not in nodes");
            }
            total += micros;
            byPackage.merge(packageOf(frame), micros, Long::sum);
            byFunction.merge(functionOf(frame), micros, Long::sum);
        }
        return new CpuProfileSummary(total, largestFirst(byPackage), largestFirst(byFunction));
    }

    /** The npm package of a frame, {@code node} for Node's own code, or V8's name for what is not code. */
    static String packageOf(JsonNode frame) {
        String url = frame.path("url").asText();
        String function = frame.path("functionName").asText();
        if (url.isEmpty()) {
            return function.startsWith("(") ? function : "(native)";
        }
        if (url.startsWith("node:")) {
            return "node";
        }
        Matcher m = PACKAGE.matcher(url);
        return m.matches() ? m.group(1) : "(host's own code)";
    }

    private static String functionOf(JsonNode frame) {
        String function = frame.path("functionName").asText();
        String url = frame.path("url").asText();
        if (url.isEmpty()) {
            return function.isEmpty() ? "(anonymous)" : function;
        }
        String file = url.substring(url.lastIndexOf('/') + 1);
        return (function.isEmpty() ? "(anonymous)" : function) + " " + packageOf(frame) + "/" + file + ":"
                + (frame.path("lineNumber").asInt() + 1);
    }

    private static List<Share> largestFirst(Map<String, Long> micros) {
        return micros.entrySet().stream()
                .map(e -> new Share(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(Share::micros).reversed().thenComparing(Share::name))
                .toList();
    }

    List<Share> packages() {
        return packages;
    }

    List<Share> functions() {
        return functions;
    }

    long totalMicros() {
        return totalMicros;
    }

    String render(int lines) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "profile of %.1f s; self time by package:%n", totalMicros / 1e6));
        table(out, packages, lines);
        out.append("self time by function:\n");
        table(out, functions, lines);
        return out.toString();
    }

    private void table(StringBuilder out, List<Share> shares, int lines) {
        for (Share s : shares.subList(0, Math.min(lines, shares.size()))) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %5.1f%%  %9.1f s  %s%n",
                    totalMicros == 0 ? 0 : 100.0 * s.micros() / totalMicros,
                    s.micros() / 1e6,
                    s.name()));
        }
    }

    static CpuProfileSummary read(Path file) throws IOException {
        return of(new ObjectMapper().readTree(file.toFile()));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: CpuProfileSummary FILE.cpuprofile [LINES]");
            System.exit(2);
        }
        System.out.print(read(Path.of(args[0])).render(args.length == 2 ? Integer.parseInt(args[1]) : 25));
    }
}
