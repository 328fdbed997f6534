package dev.linkwell.bench.harness;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample of durations in nanoseconds. */
public final class Percentiles {

    private final long[] sortedNanos;

    private Percentiles(long[] sortedNanos) {
        this.sortedNanos = sortedNanos;
    }

    public static Percentiles of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    public int count() {
        return sortedNanos.length;
    }

    /** The smallest sample at or above the fraction {@code p} (0..1) of the sample; -1 when empty. */
    public long at(double p) {
        if (sortedNanos.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sortedNanos.length);
        return sortedNanos[Math.clamp(rank - 1, 0, sortedNanos.length - 1)];
    }

    public long max() {
        return sortedNanos.length == 0 ? -1 : sortedNanos[sortedNanos.length - 1];
    }

    public double millis(double p) {
        return at(p) / 1e6;
    }
}
