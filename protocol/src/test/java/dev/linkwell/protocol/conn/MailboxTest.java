package dev.linkwell.protocol.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MailboxTest {

    @Test
    void tasksFromManyThreadsRunOneAtATimeEachThreadsInItsOrder() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        List<int[]> ran = new ArrayList<>(); // touched only by mailbox tasks: no lock on purpose
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads * perThread);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
                ExecutorService callers = Executors.newFixedThreadPool(threads)) {
            Mailbox mailbox = new Mailbox(workers, e -> {});
            for (int t = 0; t < threads; t++) {
                int thread = t;
                callers.execute(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int seq = i;
                        mailbox.execute(() -> {
                            if (running.incrementAndGet() != 1 || !mailbox.inMailbox()) {
                                overlaps.incrementAndGet();
                            }
                            ran.add(new int[] {thread, seq});
                            running.decrementAndGet();
                            done.countDown();
                        });
                    }
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(ran).hasSize(threads * perThread);
        int[] last = new int[threads];
        java.util.Arrays.fill(last, -1);
        for (int[] r : ran) {
            assertThat(r[1]).as("thread %d in order", r[0]).isEqualTo(last[r[0]] + 1);
            last[r[0]] = r[1];
        }
    }

    @Test
    void aFailingTaskGoesToTheFailureHandlerAndTheNextTaskStillRuns() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            Mailbox mailbox = new Mailbox(workers, e -> seen.add("failed: " + e.getMessage()));
            mailbox.execute(() -> {
                throw new IllegalStateException("boom");
            });
            mailbox.execute(() -> {
                seen.add("next");
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).containsExactly("failed: boom", "next");
        assertThat(new Mailbox(Runnable::run, e -> {}).inMailbox()).isFalse();
    }

    @Test
    void aShutDownExecutorIsReportedNotSilentlyIgnored() {
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        workers.shutdown();
        Mailbox mailbox = new Mailbox(workers, e -> {});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mailbox.execute(() -> {}))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
