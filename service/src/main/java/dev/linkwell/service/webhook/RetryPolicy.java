package dev.linkwell.service.webhook;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What happens after a failed attempt. Retried: no answer (timeout, refused connection, reset),
 * 408, 429 and 5xx. Not retried: every other status, since the receiver said the request itself is
 * wrong (410 gone, 401 bad signature, 3xx). Delays grow exponentially with full jitter: attempt
 * {@code n} waits a uniformly random time in {@code [0, min(cap, base * 2^(n-1))]}, which spreads
 * retries of many lanes that failed together. A receiver's {@code Retry-After} (in seconds) raises
 * the delay, up to the cap.
 */
final class RetryPolicy {

    private final long baseMillis;
    private final long capMillis;
    private final int maxAttempts;
    private final RandomGenerator random;

    RetryPolicy(Duration base, Duration cap, int maxAttempts, RandomGenerator random) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** Whether attempt number {@code attempts} (from 1) was the last one allowed. */
    boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /** The wait after failed attempt number {@code attempt} (from 1). */
    Duration delay(int attempt, Duration retryAfter) {
        long jittered = random.nextLong(ceiling(attempt) + 1);
        long wanted = retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
        return Duration.ofMillis(Math.min(wanted, capMillis));
    }

    /** The largest wait after attempt {@code n}; doubling stops at the cap, so it cannot overflow. */
    long ceiling(int attempt) {
        long ceiling = baseMillis;
        for (int n = 1; n < attempt && ceiling < capMillis; n++) {
            ceiling *= 2;
        }
        return Math.min(ceiling, capMillis);
    }
}
