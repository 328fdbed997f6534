package dev.linkwell.protocol.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when {@link #advance(Duration)} is called: tests drive QR lifetimes,
 * idle limits, bans and keepalives without sleeping. Due tasks run on the advancing thread, in deadline
 * order (ties in scheduling order), with {@link #now()} set to each task's deadline while it runs, so a
 * task that schedules the next one (a repeating tick) sees the time it was due at.
 */
public final class ManualScheduler implements Scheduler {

    private record Entry(Instant due, long seq, Runnable task, boolean[] cancelled) {}

    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>((a, b) -> a.due.equals(b.due) ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
    private Instant now;
    private long seq;

    /** Starts at the current wall-clock time (whole milliseconds), so certificates minted now are valid. */
    public ManualScheduler() {
        this(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    public ManualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public InstantSource clock() {
        return this::now;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Entry(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task, cancelled));
        return () -> {
            synchronized (this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves the time forward by {@code by}, running every task that falls due on the way. */
    public void advance(Duration by) {
        Instant target;
        synchronized (this) {
            target = now.plus(by);
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                if (next.cancelled[0]) {
                    continue;
                }
                now = next.due;
            }
            next.task.run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled yet. */
    public synchronized int pending() {
        return (int) queue.stream().filter(e -> !e.cancelled[0]).count();
    }
}
