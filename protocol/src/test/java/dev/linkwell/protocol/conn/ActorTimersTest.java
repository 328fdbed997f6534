package dev.linkwell.protocol.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class ActorTimersTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    /** The actor's mailbox, drained by hand: a timer only queues its task, the actor runs it. */
    private final Queue<Runnable> mailbox = new ArrayDeque<>();

    private final ActorTimers timers = new ActorTimers(scheduler, mailbox::add);
    private final List<String> ran = new ArrayList<>();

    private void drain() {
        Runnable task;
        while ((task = mailbox.poll()) != null) {
            task.run();
        }
    }

    @Test
    void aTimerQueuesItsTaskInTheActorAndIsForgottenOnceItRan() {
        timers.after(Duration.ofSeconds(2), () -> ran.add("once"));
        assertThat(timers.pending()).isEqualTo(1);

        scheduler.advance(Duration.ofSeconds(2));
        assertThat(ran).as("nothing runs on the scheduler's thread").isEmpty();
        drain();
        assertThat(ran).containsExactly("once");
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aRepeatingTimerRunsEachPeriodUntilEverythingIsCancelled() {
        timers.every(Duration.ofSeconds(1), () -> ran.add("tick"));
        timers.after(Duration.ofSeconds(10), () -> ran.add("late"));
        scheduler.advance(Duration.ofSeconds(3));
        drain();
        assertThat(ran).containsExactly("tick", "tick", "tick");

        timers.cancelAll();
        scheduler.advance(Duration.ofSeconds(20));
        drain();
        assertThat(ran).hasSize(3);
        assertThat(timers.pending()).isZero();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aCancelledTimerNeverRuns() {
        timers.after(Duration.ofSeconds(1), () -> ran.add("cancelled")).cancel();
        timers.after(Duration.ofSeconds(1), () -> ran.add("kept"));
        scheduler.advance(Duration.ofSeconds(1));
        drain();
        assertThat(ran).containsExactly("kept");
    }
}
