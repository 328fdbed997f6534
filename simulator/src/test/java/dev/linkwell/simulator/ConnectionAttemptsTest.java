package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectionAttemptsTest {

    private final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-11-30T10:00:00.250Z"));
    private final ConnectionAttempts attempts = new ConnectionAttempts(clock.clock());

    @Test
    void countsAttemptsPerSecondOfTheClock() {
        attempts.record();
        attempts.record();
        clock.advance(Duration.ofMillis(700)); // 10:00:00.950, the same second
        attempts.record();
        clock.advance(Duration.ofMillis(100)); // 10:00:01.050
        attempts.record();
        clock.advance(Duration.ofSeconds(5));
        attempts.record();

        ConnectionAttempts.Snapshot s = attempts.snapshot();

        assertThat(s.total()).isEqualTo(5);
        assertThat(s.perSecond())
                .containsExactly(
                        new ConnectionAttempts.Second(Instant.parse("2026-11-30T10:00:00Z"), 3),
                        new ConnectionAttempts.Second(Instant.parse("2026-11-30T10:00:01Z"), 1),
                        new ConnectionAttempts.Second(Instant.parse("2026-11-30T10:00:06Z"), 1));
        assertThat(s.peak()).contains(new ConnectionAttempts.Second(Instant.parse("2026-11-30T10:00:00Z"), 3));
    }

    @Test
    void forgetsSecondsOlderThanTheWindowButKeepsTheTotal() {
        attempts.record();
        attempts.record();
        clock.advance(Duration.ofSeconds(ConnectionAttempts.WINDOW_SECONDS));
        // the same slot of the ring, one window later: a new second, counted from zero
        attempts.record();

        ConnectionAttempts.Snapshot s = attempts.snapshot();

        assertThat(s.total()).isEqualTo(3);
        assertThat(s.perSecond())
                .containsExactly(new ConnectionAttempts.Second(Instant.parse("2026-11-30T11:00:00Z"), 1));

        clock.advance(Duration.ofSeconds(ConnectionAttempts.WINDOW_SECONDS));
        assertThat(attempts.snapshot().perSecond()).isEmpty();
        assertThat(attempts.snapshot().peak()).isEmpty();
        assertThat(attempts.snapshot().total()).isEqualTo(3);
    }
}
