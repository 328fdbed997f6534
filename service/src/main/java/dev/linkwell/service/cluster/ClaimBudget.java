package dev.linkwell.service.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * How many sessions a node may still take up (or hand over) now: {@code perSecond} a second, saved up to one
 * second's worth, so a failover of many sessions reconnects them at a steady pace instead of all at once. A token
 * bucket, free of threads, on an injected clock.
 */
final class ClaimBudget {

    private final InstantSource clock;
    private final int perSecond;
    private double tokens;
    private Instant last;

    ClaimBudget(InstantSource clock, int perSecond) {
        this.clock = clock;
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.last = clock.instant();
    }

    /** How many may go now. */
    synchronized int available() {
        refill();
        return (int) Math.floor(tokens);
    }

    /** Spends up to {@code wanted}; returns how many were granted. */
    synchronized int take(int wanted) {
        refill();
        int granted = (int) Math.min(Math.max(0, wanted), Math.floor(tokens));
        tokens -= granted;
        return granted;
    }

    /** Gives back what was granted and not used (a claim another node won). */
    synchronized void refund(int unused) {
        tokens = Math.min(perSecond, tokens + Math.max(0, unused));
    }

    private void refill() {
        Instant now = clock.instant();
        long nanos = Duration.between(last, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(perSecond, tokens + perSecond * (nanos / 1e9));
            last = now;
        }
    }
}
