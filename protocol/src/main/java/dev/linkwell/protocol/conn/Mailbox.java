package dev.linkwell.protocol.conn;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The serial executor that makes one connection an actor: socket callbacks, timers, API calls and iq
 * answers are all submitted here, and they run one at a time, in submission order, on threads borrowed
 * from {@code workers} (virtual threads). Code that only runs inside one mailbox needs no lock.
 *
 * <p>Once {@code workers} refuse work (they shut down), {@link #execute} throws
 * {@link RejectedExecutionException} and drops what was queued. A task that throws does not stop the mailbox: the failure goes to {@code onFailure}, which runs in
 * the mailbox too (a connection ends itself there).
 */
public final class Mailbox implements Executor {

    private final Executor workers;
    private final Consumer<RuntimeException> onFailure;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile Thread current;

    public Mailbox(Executor workers, Consumer<RuntimeException> onFailure) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
        if (draining.compareAndSet(false, true)) {
            try {
                workers.execute(this::drain);
            } catch (RejectedExecutionException rejected) {
                // the workers shut down (the owner is closing): nothing will run any more
                draining.set(false);
                tasks.clear();
                throw rejected;
            }
        }
    }

    /** True when called from a task of this mailbox. */
    public boolean inMailbox() {
        return current == Thread.currentThread();
    }

    private void drain() {
        while (true) {
            current = Thread.currentThread();
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    run(task);
                }
            } finally {
                current = null;
                draining.set(false);
            }
            // a task added between the last poll and the flag reset must not wait for the next execute()
            if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            try {
                onFailure.accept(e);
            } catch (RuntimeException ignored) {
                // the failure handler failed too: the mailbox must keep serving the tasks after this one
            }
        }
    }
}
