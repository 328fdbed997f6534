package dev.linkwell.bench.harness;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The end of a whole benchmark run: every wait is bounded by it, and by a step limit. */
public record Deadline(long atNanos, Duration total) {

    public static Deadline in(Duration total) {
        return new Deadline(System.nanoTime() + total.toNanos(), total);
    }

    /** Time left, at least zero. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
    }

    /** How long one wait may take: what is left of the run, at most {@code step}; fails when nothing is left. */
    public long waitNanos(Duration step) throws TimeoutException {
        long left = atNanos - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException("overall timeout " + total + " exceeded");
        }
        return Math.min(left, step.toNanos());
    }
}
