package dev.linkwell.service.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    /** Draws the largest value the bound allows, or zero: the two ends of full jitter. */
    private static RandomGenerator extreme(boolean high) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                return high ? bound - 1 : 0;
            }
        };
    }

    @Test
    void fullJitterSpansZeroToAnExponentialCeilingThatStopsAtTheCap() {
        RetryPolicy highest = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 16, extreme(true));
        RetryPolicy lowest = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 16, extreme(false));

        assertThat(highest.delay(1, null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(highest.delay(2, null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(highest.delay(4, null)).isEqualTo(Duration.ofSeconds(8));
        assertThat(highest.delay(5, null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(highest.delay(10_000, null)).as("no overflow").isEqualTo(Duration.ofSeconds(10));
        assertThat(lowest.delay(1, null)).isZero();
        assertThat(lowest.delay(9, null)).isZero();
    }

    @Test
    void retryAfterRaisesTheDelayUpToTheCap() {
        RetryPolicy lowest = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 16, extreme(false));

        assertThat(lowest.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(lowest.delay(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theLastAttemptIsMaxAttempts() {
        RetryPolicy policy =
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 3, RandomGenerator.getDefault());

        assertThat(policy.exhausted(2)).isFalse();
        assertThat(policy.exhausted(3)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "408,true",
        "429,true",
        "500,true",
        "502,true",
        "503,true",
        "504,true",
        "400,false",
        "401,false",
        "403,false",
        "404,false",
        "410,false",
        "413,false",
        "301,false"
    })
    void onlyTimeoutsThrottlingAndServerErrorsAreRetried(int status, boolean retried) {
        assertThat(RetryPolicy.isRetryable(status)).isEqualTo(retried);
    }
}
