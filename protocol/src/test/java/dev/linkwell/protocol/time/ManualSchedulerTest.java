package dev.linkwell.protocol.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void tasksRunWhenTheirTimeComesInDeadlineOrderSeeingTheirOwnDeadline() {
        ManualScheduler s = new ManualScheduler(START);
        List<String> ran = new ArrayList<>();
        s.schedule(Duration.ofSeconds(3), () -> ran.add("c@" + s.now().getEpochSecond() % 60));
        s.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + s.now().getEpochSecond() % 60));
        s.schedule(Duration.ofSeconds(1), () -> ran.add("b@" + s.now().getEpochSecond() % 60));
        s.advance(Duration.ofMillis(999));
        assertThat(ran).isEmpty();
        s.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("a@1", "b@1");
        assertThat(s.now()).isEqualTo(START.plusMillis(2999));
        s.advance(Duration.ofMillis(1));
        assertThat(ran).containsExactly("a@1", "b@1", "c@3");
        assertThat(s.pending()).isZero();
    }

    @Test
    void aCancelledTaskNeverRunsAndARescheduledTickRepeats() {
        ManualScheduler s = new ManualScheduler(START);
        List<Instant> ticks = new ArrayList<>();
        Scheduler.Timer cancelled = s.schedule(Duration.ofSeconds(1), () -> ticks.add(Instant.MIN));
        cancelled.cancel();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.add(s.now());
            s.schedule(Duration.ofSeconds(2), tick[0]);
        };
        s.schedule(Duration.ofSeconds(2), tick[0]);
        s.advance(Duration.ofSeconds(7));
        assertThat(ticks).containsExactly(START.plusSeconds(2), START.plusSeconds(4), START.plusSeconds(6));
        assertThat(s.clock().instant()).isEqualTo(START.plusSeconds(7));
    }

    @Test
    void aRepeatingTaskRunsOncePerPeriodAtTheTimeItWasDueUntilCancelled() {
        ManualScheduler s = new ManualScheduler(START);
        List<Instant> ticks = new ArrayList<>();
        Scheduler.Timer every = s.every(Duration.ofMillis(100), () -> ticks.add(s.now()));
        s.advance(Duration.ofMillis(350));
        assertThat(ticks).containsExactly(START.plusMillis(100), START.plusMillis(200), START.plusMillis(300));
        every.cancel();
        s.advance(Duration.ofSeconds(1));
        assertThat(ticks).hasSize(3);
        assertThat(s.pending()).isZero();
    }
}
