package dev.linkwell.protocol.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Time and one-shot timers for connection code, so the code that reads the clock and the code that waits
 * for it use the same source: {@link SystemScheduler} in production, {@link ManualScheduler} in tests that
 * move time forward instead of sleeping.
 *
 * <p>A timer task runs on the scheduler's own thread (or, with {@link ManualScheduler}, on the thread that
 * advances the time): keep it short and hand the real work to the connection's
 * {@link dev.linkwell.protocol.conn.Mailbox}.
 */
public interface Scheduler {

    /** The clock every deadline of this scheduler is measured on. */
    InstantSource clock();

    default Instant now() {
        return clock().instant();
    }

    /**
     * Runs {@code task} once, {@code delay} from now. After the scheduler closed, the task is dropped and the
     * returned timer is already cancelled.
     */
    Timer schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} every {@code period}, at a fixed rate: each next run is scheduled from the time the last
     * one was due, on the scheduler's side, so a {@link ManualScheduler} advanced by several periods at once runs
     * it once per period even when {@code task} only queues work elsewhere. Until cancelled.
     */
    default Timer every(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive");
        }
        final class Repeating implements Timer, Runnable {
            private volatile boolean cancelled;
            private volatile Timer next = NONE;

            @Override
            public void run() {
                if (!cancelled) {
                    next = schedule(period, this);
                    task.run();
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
                next.cancel();
            }
        }
        Repeating repeating = new Repeating();
        repeating.next = schedule(period, repeating);
        return repeating;
    }

    /** A pending task; {@link #cancel()} is idempotent and harmless once the task ran. */
    @FunctionalInterface
    interface Timer {
        void cancel();

        /** A timer that has nothing to cancel. */
        Timer NONE = () -> {};
    }
}
