package dev.linkwell.bench.service;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The footprint at one number of paired, open, idle sessions: the service JVM, the Baileys host (when the service
 * runs one), and the simulator for information.
 *
 * @param profile what the sessions went through before they idled: just paired, restored by a restart, or traffic
 * @param open how many of them were open ({@code ready}) when the reading began
 * @param loadBefore the load averages (1, 5, 15 min) when the reading began (before the idle CPU window)
 * @param loadAfter the same when it ended
 * @param service the service's process
 * @param host the Node host's process, or null when there is none (the native engine, or no Baileys session yet)
 * @param simulatorRssKiB the simulator's RSS (not part of any figure)
 * @param serviceThreads the service's live platform threads by name, most numerous first
 * @param hostEventLoop how late the host's event loop ran during the idle window, or null without a host
 */
record Reading(
        int sessions,
        Profile profile,
        int open,
        String loadBefore,
        String loadAfter,
        ProcessReading service,
        ProcessReading host,
        long simulatorRssKiB,
        Map<String, Integer> serviceThreads,
        NodeProbe.EventLoopDelay hostEventLoop) {

    /**
     * One process.
     *
     * @param heapBytes the JVM's heap used after full GCs; for Node, V8's heap used after GCs
     * @param offHeapBytes for Node, {@code external} after GCs (Buffers, ArrayBuffers: what the JVM keeps in its heap
     *     as byte arrays); for the JVM 0, its off-heap buffers are not counted here
     * @param osThreads every thread of the process as the kernel counts them (platform threads and the runtime's own)
     * @param javaThreads live Java platform threads; -1 for Node
     * @param idleCpuPercent CPU time used during the idle window, in percent of one core
     * @param cpus the cores it may run on, as the kernel lists them ({@code 0-1})
     */
    record ProcessReading(
            long rssKiB,
            long heapBytes,
            long offHeapBytes,
            int osThreads,
            int javaThreads,
            double idleCpuPercent,
            String cpus) {

        /** Heap as compared side by side: the JVM's heap, or V8's heap plus external memory. */
        long comparableHeap() {
            return heapBytes + offHeapBytes;
        }
    }

    /** What idle sessions went through before a reading. */
    enum Profile {
        /** Paired, then idle: the idle profile. */
        PAIRED(""),
        /** Restored by a restart of the service, then idle. */
        RESTORED(" restored"),
        /** Paired, then got messages from their contacts and groups ({@link Traffic}), then idle. */
        AFTER_TRAFFIC(" after traffic");

        private final String suffix;

        Profile(String suffix) {
            this.suffix = suffix;
        }
    }

    /** What the two engines' readings are matched on: the session count, and the profile. */
    String key() {
        return sessions + profile.suffix;
    }

    /** How the report names this reading: its key, and how many were open if not all. */
    String label() {
        return key() + (open == sessions ? "" : " (" + open + " open)");
    }

    long totalRssKiB() {
        return service.rssKiB() + (host == null ? 0 : host.rssKiB());
    }

    long totalHeap() {
        return service.comparableHeap() + (host == null ? 0 : host.comparableHeap());
    }

    int totalOsThreads() {
        return service.osThreads() + (host == null ? 0 : host.osThreads());
    }

    double totalIdleCpuPercent() {
        return service.idleCpuPercent() + (host == null ? 0 : host.idleCpuPercent());
    }

    /** The most numerous thread names of the service, e.g. {@code http-nio-#-exec-# 10, ...}. */
    String topServiceThreads(int groups) {
        return serviceThreads.entrySet().stream()
                .limit(groups)
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
