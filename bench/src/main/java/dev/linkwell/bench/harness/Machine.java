package dev.linkwell.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the figures were measured on, and how busy it was: printed with every run, recorded with every figure. */
public final class Machine {

    private Machine() {}

    /** The 1, 5 and 15 minute load averages as {@code uptime} shows them, or "n/a". */
    public static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** The 1-minute load average, or -1. */
    public static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** CPU model, cores and memory of this machine, from /proc; "n/a" elsewhere. */
    public static String hardware() {
        String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String memKiB = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String mem = "n/a";
        if (!memKiB.equals("n/a")) {
            mem = String.format(
                    Locale.ROOT, "%.1f GiB RAM", Long.parseLong(memKiB.replaceAll("\\D", "")) / 1024.0 / 1024.0);
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " CPUs available, " + mem;
    }

    /** The header every harness prints: date, machine, this JVM, its options and load. */
    public static void printEnvironment(PrintStream out, String title) {
        var rt = ManagementFactory.getRuntimeMXBean();
        out.println("== " + title + " ==");
        out.println("date:       " + Instant.now());
        out.println("machine:    " + hardware());
        out.println("os:         " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.println("jvm:        " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")");
        out.println("jvm args:   " + String.join(" ", rt.getInputArguments()));
        out.println("gc:         "
                + ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", ")));
        out.println("load avg:   " + loadAverage());
    }

    private static String firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("n/a");
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
