package dev.linkwell.bench.engine;

import dev.linkwell.bench.harness.ClassHistogram;
import dev.linkwell.bench.harness.Deadline;
import dev.linkwell.bench.harness.HarnessMain;
import dev.linkwell.bench.harness.Machine;
import dev.linkwell.bench.harness.Parallel;
import dev.linkwell.bench.harness.SimulatorHandle;
import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.engine.ClientRuntime;
import java.net.URI;
import java.time.Duration;

/**
 * Per-session footprint of the native engine alone (no service around it): pairs N sessions by QR against the
 * loopback WhatsApp simulator, lets them idle, and measures heap (after full GCs), RSS and platform threads; then
 * closes them all and logs them all in again from the stored credentials (the restart-restore case) and measures
 * again. Not a JMH benchmark: a plain main that prints a table. The whole service, next to Baileys, is measured by
 * {@link dev.linkwell.bench.service.SideBySide}.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar dev.linkwell.bench.engine.SessionFootprint --sessions 200
 *   [--parallel 16] [--simulator child|in-process] [--simulator-jvm-opts "-Xmx1g"]
 *   [--settle 5] [--timeout 300] [--histogram 20]
 * </pre>
 *
 * Exit status 0 when every session opened, paired and re-logged in; 1 on a failure; 2 on bad
 * arguments; 3 when the overall timeout fired.
 */
public final class SessionFootprint {

    private final FootprintOptions options;
    private volatile SimulatorHandle sim;
    private ClassHistogram lastHistogram;
    private String lastPhase;

    private SessionFootprint(FootprintOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        HarnessMain.exit(
                args, FootprintOptions::parse, FootprintOptions.USAGE, options -> new SessionFootprint(options).run());
    }

    private int run() throws Exception {
        Deadline deadline = Deadline.in(options.timeout());
        startWatchdog();
        Machine.printEnvironment(System.out, "Linkwell per-session footprint (native engine alone)");
        int n = options.sessions();
        System.out.println("sessions:   " + n + ", parallel " + options.parallel() + ", settle "
                + options.settle().toSeconds() + " s, timeout "
                + options.timeout().toSeconds() + " s");
        String loadBefore = Machine.loadAverage();

        sim = options.childSimulator()
                ? new SimulatorHandle.Child(options.simulatorJvmOpts(), Duration.ofSeconds(60))
                : new SimulatorHandle.InProcess();
        ClientRuntime runtime = new ClientRuntime();
        try {
            System.out.println("simulator:  " + sim.describe());
            System.out.println("            " + sim.webSocketUrl());
            // production timings (keepalive 25 s, dead link 45 s, QR 60 s / 20 s): idle sessions behave as in the
            // service
            ClientConfig config = ClientConfig.builder()
                    .url(URI.create(sim.webSocketUrl()))
                    .trustAnchorHex(sim.trustAnchorHex())
                    .build();
            MemoryCredentialStore store = new MemoryCredentialStore();
            EngineClients clients = new EngineClients(runtime, config, store, sim, deadline, n);

            Footprint baseline = Footprint.measure();
            histogram("baseline");
            System.out.println("baseline measured; pairing " + n + " sessions, " + options.parallel() + " at a time");

            // the first session alone, measured, so that one-time costs (classes, static tables, the
            // engine's lazily started timer and carrier threads) can be told apart from per-session costs
            long t0 = System.nanoTime();
            clients.get(0).pairAndOpen();
            long pairNanos = System.nanoTime() - t0;
            Footprint first = null;
            if (n > 1) {
                settle();
                clients.requireOpen(1, "after the first session");
                first = Footprint.measure();
                histogram("first session open");
                long t0b = System.nanoTime();
                each("pair+open", 1, deadline, i -> clients.get(i).pairAndOpen());
                pairNanos += System.nanoTime() - t0b;
            }
            settle();
            clients.requireOpen(n, "after pairing");
            Footprint open = Footprint.measure();
            histogram("all open, idle");
            long storeBytes = store.totalBytes();
            int storeBlobs = store.blobCount();
            long simRssOpen = sim.rssKiB();

            long t1 = System.nanoTime();
            each("close", 0, deadline, i -> clients.get(i).close());
            long closeNanos = System.nanoTime() - t1;
            Thread.sleep(options.afterClose().toMillis());
            Footprint closed = Footprint.measure();
            histogram("all closed");

            long t2 = System.nanoTime();
            each("re-login", 0, deadline, i -> clients.get(i).open());
            long reloginNanos = System.nanoTime() - t2;
            settle();
            clients.requireOpen(n, "after re-login");
            Footprint relogin = Footprint.measure();
            histogram("re-logged in");

            each("final close", 0, deadline, i -> clients.get(i).close());
            Thread.sleep(options.afterClose().toMillis());
            Footprint end = Footprint.measure();
            histogram("after final close");

            new FootprintReport(System.out)
                    .print(
                            n,
                            new FootprintReport.Phases(baseline, first, open, closed, relogin, end),
                            new FootprintReport.Times(pairNanos, closeNanos, reloginNanos),
                            new FootprintReport.Context(
                                    storeBytes,
                                    storeBlobs,
                                    simRssOpen,
                                    loadBefore,
                                    Machine.loadAverage(),
                                    clients.unexpectedDisconnects()));
            return clients.unexpectedDisconnects() == 0 ? 0 : 1;
        } finally {
            runtime.close();
            sim.close();
        }
    }

    private void each(String name, int from, Deadline deadline, Parallel.Step step) throws InterruptedException {
        Parallel.forEach(name, from, options.sessions(), options.parallel(), deadline, System.out, step);
    }

    private void settle() throws InterruptedException {
        Thread.sleep(options.settle().toMillis());
    }

    /** Halts the JVM (and kills the simulator child) 30 s after the overall timeout, whatever is stuck. */
    private void startWatchdog() {
        Thread.ofVirtual().name("footprint-watchdog").start(() -> {
            try {
                Thread.sleep(options.timeout().plusSeconds(30).toMillis());
                System.err.println(
                        "FAILED: overall timeout of " + options.timeout() + " (+30 s grace) exceeded; halting");
                System.err.flush();
                SimulatorHandle s = sim;
                if (s != null) {
                    s.kill(); // halt skips shutdown hooks and finally blocks: do not leave the child behind
                }
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        });
    }

    /**
     * With {@code --histogram L}: the L classes whose live bytes changed most since the previous phase
     * (from the live-object class histogram, what {@code jcmd PID GC.class_histogram} prints).
     */
    private void histogram(String phase) {
        if (options.histogram() <= 0) {
            return;
        }
        ClassHistogram now = Footprint.histogram();
        if (lastHistogram != null) {
            now.printGrowth(lastHistogram, options.histogram(), phase + ", change since " + lastPhase, System.out);
        }
        lastHistogram = now;
        lastPhase = phase;
    }
}
