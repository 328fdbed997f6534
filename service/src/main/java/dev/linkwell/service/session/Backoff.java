package dev.linkwell.service.session;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter above a floor: attempt {@code n} waits a uniformly random
 * time between {@code base/2} and {@code min(cap, base * 2^(n-1))}. The randomness spreads out
 * sessions that dropped together; the floor keeps a reconnect loop from ever spinning.
 */
final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final RandomGenerator random;

    Backoff(Duration base, Duration cap, RandomGenerator random) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.random = random;
    }

    Duration delay(int attempt) {
        long ceiling = ceiling(attempt);
        long floor = Math.min(Math.max(1, baseMillis / 2), ceiling);
        return Duration.ofMillis(floor + random.nextLong(ceiling - floor + 1));
    }

    /** The largest delay attempt {@code n} (from 1) can get. */
    long ceiling(int attempt) {
        int doublings = Math.max(attempt, 1) - 1;
        if (doublings >= Long.numberOfLeadingZeros(baseMillis) - 1) {
            return capMillis; // the shift would overflow; the cap is smaller anyway
        }
        return Math.min(capMillis, baseMillis << doublings);
    }
}
