package dev.linkwell.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's /proc says about a process: resident memory, threads, CPU time. -1 where it cannot tell. */
public final class ProcFs {

    /** Clock ticks per second of /proc/PID/stat's times: USER_HZ, 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcFs() {}

    /** VmRSS in KiB. */
    public static long rssKiB(long pid) {
        return statusValue(pid, "VmRSS:");
    }

    /** Every thread of the process as the kernel counts them (for a JVM: Java platform threads and the VM's own). */
    public static int threads(long pid) {
        return (int) statusValue(pid, "Threads:");
    }

    /** User plus system CPU time the process used so far, in seconds. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: count fields after its closing one
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 (utime) and 15 (stime) of the whole line are 12 and 13 after the name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The cores the process may run on, as the kernel lists them ({@code 0-1}), or "?" where it cannot tell. */
    public static String cpusAllowed(long pid) {
        String list = statusText(pid, "Cpus_allowed_list:");
        return list == null ? "?" : list;
    }

    private static long statusValue(long pid, String key) {
        String text = statusText(pid, key);
        try {
            return text == null ? -1 : Long.parseLong(text.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String statusText(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return line.substring(key.length()).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return null;
    }
}
