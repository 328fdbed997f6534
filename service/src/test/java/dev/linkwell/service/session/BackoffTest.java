package dev.linkwell.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(7));

    @Test
    void ceilingDoublesPerAttemptUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(1_000);
        assertThat(backoff.ceiling(2)).isEqualTo(2_000);
        assertThat(backoff.ceiling(6)).isEqualTo(32_000);
        assertThat(backoff.ceiling(7)).isEqualTo(60_000);
        assertThat(backoff.ceiling(500)).isEqualTo(60_000);
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(60_000);
    }

    @Test
    void delaysAreRandomNeverBelowHalfTheBaseNeverAboveTheCeilingAndGrowOnAverage() {
        double previousMean = 0;
        for (int attempt = 1; attempt <= 10; attempt++) {
            Set<Long> seen = new HashSet<>();
            long sum = 0;
            for (int i = 0; i < 2_000; i++) {
                long delay = backoff.delay(attempt).toMillis();
                assertThat(delay).isBetween(500L, backoff.ceiling(attempt));
                seen.add(delay);
                sum += delay;
            }
            double mean = sum / 2_000.0;
            assertThat(seen).as("jitter at attempt %d", attempt).hasSizeGreaterThan(100);
            if (backoff.ceiling(attempt) < 60_000) {
                assertThat(mean).as("mean delay grows at attempt %d", attempt).isGreaterThan(previousMean);
            }
            previousMean = mean;
        }
    }
}
