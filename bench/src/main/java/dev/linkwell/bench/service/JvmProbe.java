package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.ClassHistogram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads another JVM (the service) from outside with {@code jcmd}, as an operator would: heap used after full GCs,
 * live Java threads, the class histogram. Nothing is loaded into the measured JVM but the attach listener thread,
 * which the first reading starts (so every reading, the one at 0 sessions included, counts it).
 */
final class JvmProbe {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K");
    /**
     * A generation of the serial or parallel collector ({@code DefNew total 116224K, used 2067K}): the JVM takes the
     * serial one by itself where it may use one core only ({@code --service-cpus 1}).
     */
    private static final Pattern GENERATION_USED =
            Pattern.compile("(?m)^\\s*(?:DefNew|Tenured|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K");
    /** A thread's header line in Thread.print: its quoted name, then its number ({@code "main" #1 ...}). */
    private static final Pattern THREAD = Pattern.compile("(?m)^\"(.*)\" #\\d+");

    private static final Pattern LIVE_THREADS = Pattern.compile("java\\.threads\\.live=(\\d+)");
    private static final long STABLE_BYTES = 256 * 1024;

    private final long pid;
    private final String jcmd;

    JvmProbe(long pid) {
        this.pid = pid;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    /**
     * Runs {@code GC.run} (a full, System.gc() collection) until two readings of {@code GC.heap_info} differ by less
     * than 256 KiB (at least 2, at most 6 rounds), and returns the last one, in bytes.
     */
    long heapUsedAfterGc() throws IOException, InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = -1;
        for (int round = 0; round < 6; round++) {
            run("GC.run");
            used = heapUsed(run("GC.heap_info"));
            if (round >= 1 && Math.abs(used - previous) < STABLE_BYTES) {
                break;
            }
            previous = used;
        }
        return used;
    }

    /** Live Java platform threads ({@code java.threads.live}; virtual threads are not counted). */
    int liveThreads() throws IOException, InterruptedException {
        Matcher m = LIVE_THREADS.matcher(run("PerfCounter.print"));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Live platform threads by name, digits folded ({@code http-nio-#-exec-#}), most numerous first. */
    Map<String, Integer> threadsByName() throws IOException, InterruptedException {
        Map<String, Integer> groups = new TreeMap<>();
        Matcher m = THREAD.matcher(run("Thread.print"));
        while (m.find()) {
            groups.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        groups.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** {@code VM.native_memory summary}, when the JVM runs with native memory tracking. */
    Optional<String> nativeMemory() throws IOException, InterruptedException {
        List<String> cmd = List.of(jcmd, Long.toString(pid), "VM.native_memory", "summary");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor(60, TimeUnit.SECONDS) && out.contains("Total:") ? Optional.of(out) : Optional.empty();
    }

    ClassHistogram histogram() throws IOException, InterruptedException {
        return ClassHistogram.parse(run("GC.class_histogram"));
    }

    /** Heap used in bytes: G1's one figure, or the sum of the generations of the serial or parallel collector. */
    static long heapUsed(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        if (m.find()) {
            return Long.parseLong(m.group(1)) * 1024;
        }
        Matcher generation = GENERATION_USED.matcher(heapInfo);
        long kib = 0;
        int generations = 0;
        while (generation.find()) {
            kib += Long.parseLong(generation.group(1));
            generations++;
        }
        if (generations < 2) {
            throw new IllegalStateException("no heap figure in GC.heap_info: " + heapInfo);
        }
        return kib * 1024;
    }

    private String run(String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jcmd, Long.toString(pid), command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
