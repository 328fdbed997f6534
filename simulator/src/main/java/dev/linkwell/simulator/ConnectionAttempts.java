package dev.linkwell.simulator;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * WebSocket upgrade requests per second of the simulator's clock, accepted or refused: how hard clients knock. A
 * service that restores every session at once after a restart shows as a tall second here (the benchmarks read the
 * peak while 1,000 sessions come back). Bounded: one slot per second for the last {@link #WINDOW_SECONDS}.
 */
public final class ConnectionAttempts {

    /** Seconds kept; older ones are forgotten. */
    public static final int WINDOW_SECONDS = 3600;

    private final InstantSource clock;
    private final long[] slotSecond = new long[WINDOW_SECONDS];
    private final int[] slotCount = new int[WINDOW_SECONDS];
    private long total;

    ConnectionAttempts(InstantSource clock) {
        this.clock = clock;
        Arrays.fill(slotSecond, Long.MIN_VALUE);
    }

    /** One upgrade request arrived now. */
    synchronized void record() {
        long second = clock.instant().getEpochSecond();
        int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        if (slotSecond[slot] != second) {
            slotSecond[slot] = second;
            slotCount[slot] = 0;
        }
        slotCount[slot]++;
        total++;
    }

    /** Every attempt since start, and the seconds of the window that had any, oldest first. */
    public synchronized Snapshot snapshot() {
        long now = clock.instant().getEpochSecond();
        List<Second> seconds = new ArrayList<>();
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            long s = slotSecond[i];
            if (s != Long.MIN_VALUE && s > now - WINDOW_SECONDS && s <= now) {
                seconds.add(new Second(Instant.ofEpochSecond(s), slotCount[i]));
            }
        }
        seconds.sort(Comparator.comparing(Second::start));
        return new Snapshot(total, List.copyOf(seconds));
    }

    /** The attempts that arrived in the second starting at {@code start}. */
    public record Second(Instant start, int count) {}

    /**
     * @param total every attempt since the simulator started
     * @param perSecond the seconds of the last hour with at least one attempt, oldest first
     */
    public record Snapshot(long total, List<Second> perSecond) {

        /** The busiest second of the window, if any. */
        public Optional<Second> peak() {
            return perSecond.stream().max(Comparator.comparingInt(Second::count));
        }
    }
}
