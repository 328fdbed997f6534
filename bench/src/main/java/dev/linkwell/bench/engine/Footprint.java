package dev.linkwell.bench.engine;

import dev.linkwell.bench.harness.ClassHistogram;
import dev.linkwell.bench.harness.ProcFs;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.ObjectName;

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
        return new Footprint(
                heap, nonHeap, direct, ProcFs.rssKiB(ProcessHandle.current().pid()), threads, groups);
    }

    /** This JVM's live objects per class (the same as {@code jcmd PID GC.class_histogram}, full GC included). */
    static ClassHistogram histogram() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            return ClassHistogram.parse(out.toString());
        } catch (JMException e) {
            System.out.println("(no class histogram: " + e + ")");
            return ClassHistogram.EMPTY;
        }
    }
}
