package dev.linkwell.protocol.time;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wall-clock time and one daemon timer thread for every timer of the owner (an engine, a simulator). */
public final class SystemScheduler implements Scheduler, AutoCloseable {

    private final ScheduledThreadPoolExecutor timers;

    /** @param threadName name of the one timer thread */
    public SystemScheduler(String threadName) {
        timers = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name(threadName).factory());
        timers.setRemoveOnCancelPolicy(true);
    }

    @Override
    public InstantSource clock() {
        return InstantSource.system();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        try {
            ScheduledFuture<?> f = timers.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException closed) {
            return Timer.NONE;
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
