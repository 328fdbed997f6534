package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class KeepaliveTest {

    static final class FakeClock implements InstantSource {
        long millis = 1_000_000;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }
    }

    @Test
    void pingsEveryIntervalWhileTheServerAnswers() {
        FakeClock clock = new FakeClock();
        Keepalive k = new Keepalive(clock, Duration.ofSeconds(20), Duration.ofSeconds(45));
        int pings = 0;
        for (int i = 0; i < 100; i++) {
            clock.advance(k.tickPeriod());
            Keepalive.Action a = k.tick();
            assertThat(a).isNotEqualTo(Keepalive.Action.DEAD);
            if (a == Keepalive.Action.PING) {
                pings++;
                k.received(); // the pong
            }
        }
        long elapsed = k.tickPeriod().toMillis() * 100;
        assertThat(pings).isEqualTo((int) (elapsed / 20_000));
    }

    @Test
    void silenceIsDetectedWithinTheBound() {
        FakeClock clock = new FakeClock();
        Keepalive k = new Keepalive(clock, Duration.ofSeconds(20), Duration.ofSeconds(45));
        long start = clock.millis;
        Keepalive.Action a;
        do {
            clock.advance(k.tickPeriod());
            a = k.tick();
        } while (a != Keepalive.Action.DEAD);
        long detectedAfter = clock.millis - start;
        assertThat(detectedAfter)
                .isGreaterThan(45_000)
                .isLessThanOrEqualTo(k.detectionBound().toMillis());
    }

    @Test
    void anyInboundFrameKeepsTheLinkAlive() {
        FakeClock clock = new FakeClock();
        Keepalive k = new Keepalive(clock, Duration.ofMillis(200), Duration.ofMillis(500));
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            k.received();
            assertThat(k.tick()).isNotEqualTo(Keepalive.Action.DEAD);
        }
        clock.advance(Duration.ofMillis(501));
        assertThat(k.tick()).isEqualTo(Keepalive.Action.DEAD);
    }

    @Test
    void deadlineMustExceedInterval() {
        assertThatThrownBy(() -> new Keepalive(new FakeClock(), Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
