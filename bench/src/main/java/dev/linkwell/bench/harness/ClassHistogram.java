package dev.linkwell.bench.harness;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects per class as {@code jcmd PID GC.class_histogram} prints them (that command runs a full GC first),
 * and what changed between two of them: where the heap of the sessions goes.
 */
public record ClassHistogram(Map<String, Usage> byClass) {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Instances and bytes of one class. */
    public record Usage(long instances, long bytes) {}

    public static final ClassHistogram EMPTY = new ClassHistogram(Map.of());

    /** Reads the text of {@code GC.class_histogram}; rows of the same class name (several loaders) are summed. */
    public static ClassHistogram parse(String text) {
        Map<String, Usage> m = new HashMap<>();
        text.lines().forEach(line -> {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                m.merge(
                        row.group(3),
                        new Usage(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Usage(a.instances + b.instances, a.bytes + b.bytes));
            }
        });
        return new ClassHistogram(Map.copyOf(m));
    }

    /** Prints the {@code lines} classes whose live bytes changed most since {@code before}. */
    public void printGrowth(ClassHistogram before, int lines, String title, PrintStream out) {
        out.println("-- live objects, " + title + " (top " + lines + " by |bytes|) --");
        out.printf(Locale.ROOT, "%14s %14s  %s%n", "+instances", "+bytes", "class");
        byClass.entrySet().stream()
                .map(e -> {
                    Usage b = before.byClass.getOrDefault(e.getKey(), new Usage(0, 0));
                    return Map.entry(
                            e.getKey(), new Usage(e.getValue().instances - b.instances, e.getValue().bytes - b.bytes));
                })
                .sorted((a, b) -> Long.compare(Math.abs(b.getValue().bytes), Math.abs(a.getValue().bytes)))
                .limit(lines)
                .forEach(e -> out.printf(
                        Locale.ROOT, "%+14d %+14d  %s%n", e.getValue().instances, e.getValue().bytes, e.getKey()));
    }
}
