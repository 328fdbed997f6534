package dev.linkwell.protocol.conn;

import dev.linkwell.protocol.time.Scheduler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The timers of one actor (a connection on either side of the wire): each fires as a task of the actor,
 * through {@code enqueue}, and all are cancelled at once when the actor ends. Used only from the actor's own
 * tasks, so it needs no lock.
 */
public final class ActorTimers {

    private final Scheduler scheduler;
    private final Consumer<Runnable> enqueue;
    private final Set<Scheduler.Timer> live = new HashSet<>();

    /**
     * @param enqueue queues a task in the actor's mailbox (the actor drops it there once it has ended)
     */
    public ActorTimers(Scheduler scheduler, Consumer<Runnable> enqueue) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.enqueue = Objects.requireNonNull(enqueue, "enqueue");
    }

    /** Runs {@code task} in the actor after {@code delay}, unless cancelled first. */
    public Scheduler.Timer after(Duration delay, Runnable task) {
        Scheduler.Timer[] timer = new Scheduler.Timer[1];
        // the task cannot run before this method returns: it is queued behind the actor's task calling it
        timer[0] = scheduler.schedule(
                delay,
                () -> enqueue.accept(() -> {
                    live.remove(timer[0]);
                    task.run();
                }));
        live.add(timer[0]);
        return timer[0];
    }

    /** Runs {@code task} in the actor every {@code period} until cancelled. */
    public void every(Duration period, Runnable task) {
        live.add(scheduler.every(period, () -> enqueue.accept(task)));
    }

    /** Cancels every timer still pending; the actor ends. */
    public void cancelAll() {
        List.copyOf(live).forEach(Scheduler.Timer::cancel);
        live.clear();
    }

    /** How many timers are pending (for tests). */
    public int pending() {
        return live.size();
    }
}
