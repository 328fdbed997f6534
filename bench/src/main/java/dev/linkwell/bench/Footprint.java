package dev.linkwell.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** One reading of this JVM's footprint, taken after repeated full GCs. */
record Footprint(
        long heapUsed,
        long nonHeapUsed,
        long directUsed,
        long rssKiB,
        int platformThreads,
        Map<String, Integer> threadGroups) {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Calls {@code System.gc()} until two consecutive heap readings differ by less than 256 KiB
     * (at least 3, at most 10 rounds, 200 ms apart), then reads everything once.
     */
    static Footprint measure() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            System.gc();
            Thread.sleep(200);
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (round >= 2 && Math.abs(used - previous) < 256 * 1024) {
                break;
            }
            previous = used;
        }
        long heap = MEMORY.getHeapMemoryUsage().getUsed();
        long nonHeap = MEMORY.getNonHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getMemoryUsed();
        }
        // ThreadMXBean counts live platform threads only; virtual threads are not included
        int threads = THREADS.getThreadCount();
        Map<String, Integer> groups = new TreeMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                groups.merge(t.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return new Footprint(heap, nonHeap, direct, rssKiB(Path.of("/proc/self/status")), threads, groups);
    }

    /** VmRSS from a /proc status file, in KiB; -1 when unavailable (not Linux). */
    static long rssKiB(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }
}
