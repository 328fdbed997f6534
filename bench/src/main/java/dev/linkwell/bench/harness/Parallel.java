package dev.linkwell.bench.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Runs one step per session, a bounded number at a time on virtual threads, and fails loudly. */
public final class Parallel {

    private Parallel() {}

    /** One session's step. */
    public interface Step {
        void run(int i) throws Exception;
    }

    /**
     * Runs {@code step} for every index in {@code [from, to)}, at most {@code parallel} at a time, stopping at the
     * first failure; prints progress about five times, with the time since the start (a long run's pace).
     *
     * @throws IllegalStateException naming the first failures, or when the deadline passes first
     */
    public static void forEach(
            String name, int from, int to, int parallel, Deadline deadline, PrintStream progress, Step step)
            throws InterruptedException {
        int count = to - from;
        if (count <= 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger(from);
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int progressEvery = Math.max(1, count / 5);
        long started = System.nanoTime();
        Runnable worker = () -> {
            int i;
            while (failures.isEmpty() && (i = next.getAndIncrement()) < to) {
                try {
                    step.run(i);
                    int d = done.incrementAndGet();
                    if (d % progressEvery == 0 || d == count) {
                        long seconds =
                                Duration.ofNanos(System.nanoTime() - started).toSeconds();
                        progress.println("  " + name + ": " + d + "/" + count + " after " + seconds + " s");
                    }
                } catch (Exception e) {
                    failures.add("#" + i + ": " + e);
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < Math.min(parallel, count); w++) {
            threads.add(Thread.ofVirtual().name(name + "-" + w).start(worker));
        }
        for (Thread t : threads) {
            Duration left = deadline.remaining();
            if (left.isZero() || !t.join(left)) {
                failures.add("deadline");
                throw new IllegalStateException(name + ": not finished within the overall timeout " + deadline.total()
                        + " (" + done.get() + "/" + count + " done)");
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(name + " failed for " + failures.size() + " session(s), first: "
                    + failures.stream().limit(3).collect(Collectors.joining("; ")));
        }
    }
}
