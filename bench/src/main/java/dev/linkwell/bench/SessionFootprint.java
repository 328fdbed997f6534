package dev.linkwell.bench;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.engine.ClientRuntime;
import dev.linkwell.client.engine.WaClient;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Per-session footprint of the native engine: pairs N sessions by QR against the loopback WhatsApp
 * simulator, lets them idle, and measures heap (after full GCs), RSS and platform threads; then closes
 * them all and logs them all in again from the stored credentials (the restart-restore case) and
 * measures again. Not a JMH benchmark: a plain main that prints a table.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar dev.linkwell.bench.SessionFootprint --sessions 200
 *   [--parallel 16] [--simulator child|in-process] [--simulator-jvm-opts "-Xmx1g"]
 *   [--settle 5] [--timeout 300]
 * </pre>
 *
 * Exit status 0 when every session opened, paired and re-logged in; 1 on a failure; 2 on bad
 * arguments; 3 when the overall timeout fired.
 */
public final class SessionFootprint {

    private static final Duration STEP = Duration.ofSeconds(60);

    private int sessions = 50;
    private int parallel = 16;
    private boolean childSimulator = true;
    private List<String> simulatorJvmOpts = List.of("-Xmx1g");
    private Duration settle = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofMinutes(5);
    private int histogram;

    private volatile SimulatorHandle sim;
    private ClientRuntime runtime;
    private ClientConfig config;
    private MemoryCredentialStore store;
    private long deadline;
    private final AtomicInteger unexpectedDisconnects = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) {
        SessionFootprint f = new SessionFootprint();
        try {
            f.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: SessionFootprint [--sessions N] [--parallel P] [--simulator child|in-process]"
                    + " [--simulator-jvm-opts \"OPTS\"] [--settle SECONDS] [--timeout SECONDS] [--histogram LINES]");
            System.exit(2);
            return;
        }
        int status;
        try {
            status = f.run();
        } catch (Throwable t) {
            System.err.println("FAILED: " + t);
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (!List.of(
                            "--sessions",
                            "--parallel",
                            "--simulator",
                            "--simulator-jvm-opts",
                            "--settle",
                            "--timeout",
                            "--histogram")
                    .contains(a)) {
                throw new IllegalArgumentException(
                        a.equals("--help") || a.equals("-h") ? "help" : "unknown option " + a);
            }
            if (v == null) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--parallel" -> parallel = Integer.parseInt(v);
                case "--simulator" ->
                    childSimulator = switch (v) {
                        case "child" -> true;
                        case "in-process" -> false;
                        default -> throw new IllegalArgumentException("--simulator is child or in-process");
                    };
                case "--simulator-jvm-opts" ->
                    simulatorJvmOpts =
                            v.isBlank() ? List.of() : List.of(v.strip().split("\\s+"));
                case "--settle" -> settle = Duration.ofSeconds(Long.parseLong(v));
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(v));
                case "--histogram" -> histogram = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        if (sessions < 1 || sessions > 9999 || parallel < 1) {
            throw new IllegalArgumentException("--sessions must be 1..9999 and --parallel at least 1");
        }
    }

    private int run() throws Exception {
        deadline = System.nanoTime() + timeout.toNanos();
        Thread.ofVirtual().name("footprint-watchdog").start(() -> {
            try {
                Thread.sleep(timeout.plusSeconds(30).toMillis());
                System.err.println("FAILED: overall timeout of " + timeout + " (+30 s grace) exceeded; halting");
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

        printEnvironment();
        String loadBefore = loadAverage();

        sim = childSimulator
                ? new SimulatorHandle.Child(simulatorJvmOpts, Duration.ofSeconds(60))
                : new SimulatorHandle.InProcess();
        runtime = new ClientRuntime();
        try {
            System.out.println("simulator:  " + sim.describe());
            System.out.println("            " + sim.webSocketUrl());
            // production timings (keepalive 25 s, dead link 45 s, QR 60 s / 20 s): idle sessions behave as in the
            // service
            config = ClientConfig.builder()
                    .url(URI.create(sim.webSocketUrl()))
                    .trustAnchorHex(sim.trustAnchorHex())
                    .build();
            store = new MemoryCredentialStore();
            Session[] all = new Session[sessions];
            for (int i = 0; i < sessions; i++) {
                all[i] = new Session(i);
            }

            Footprint baseline = Footprint.measure();
            histogram("baseline");
            System.out.println("baseline measured; pairing " + sessions + " sessions, " + parallel + " at a time");

            // the first session alone, measured, so that one-time costs (classes, static tables, the
            // engine's lazily started timer and carrier threads) can be told apart from per-session costs
            long t0 = System.nanoTime();
            all[0].pairAndOpen();
            long pairNanos = System.nanoTime() - t0;
            Footprint first = null;
            if (sessions > 1) {
                Thread.sleep(settle.toMillis());
                requireAllOpen(Arrays.copyOf(all, 1), "after the first session");
                first = Footprint.measure();
                histogram("first session open");
                long t0b = System.nanoTime();
                forEach("pair+open", 1, i -> all[i].pairAndOpen());
                pairNanos += System.nanoTime() - t0b;
            }
            Thread.sleep(settle.toMillis());
            requireAllOpen(all, "after pairing");
            Footprint open = Footprint.measure();
            histogram("all open, idle");
            long storeBytes = store.totalBytes();
            int storeBlobs = store.blobCount();
            long simRssOpen = sim.rssKiB();

            long t1 = System.nanoTime();
            forEach("close", i -> all[i].close());
            long closeNanos = System.nanoTime() - t1;
            // FrameSocket.close waits up to 2 s (CLOSE_GRACE) for the server's close frame before it aborts
            // the TCP connection; until then the JDK WebSocket and its buffers are legitimately live
            Thread.sleep(afterClose().toMillis());
            Footprint closed = Footprint.measure();
            histogram("all closed");

            long t2 = System.nanoTime();
            forEach("re-login", i -> all[i].open());
            long reloginNanos = System.nanoTime() - t2;
            Thread.sleep(settle.toMillis());
            requireAllOpen(all, "after re-login");
            Footprint relogin = Footprint.measure();
            histogram("re-logged in");

            forEach("final close", i -> all[i].close());
            Thread.sleep(afterClose().toMillis());
            Footprint end = Footprint.measure();
            histogram("after final close");

            String loadAfter = loadAverage();
            report(
                    baseline,
                    first,
                    open,
                    closed,
                    relogin,
                    end,
                    pairNanos,
                    closeNanos,
                    reloginNanos,
                    storeBytes,
                    storeBlobs,
                    simRssOpen,
                    loadBefore,
                    loadAfter);
            return unexpectedDisconnects.get() == 0 ? 0 : 1;
        } finally {
            runtime.close();
            sim.close();
        }
    }

    // ---------------------------------------------------------------- sessions

    /** What one WaClient reported; futures complete once. */
    private final class Listener implements EngineListener {
        final String sessionId;
        final CompletableFuture<String> qr = new CompletableFuture<>();
        final CompletableFuture<String> open = new CompletableFuture<>();
        final CompletableFuture<DisconnectReason> ended = new CompletableFuture<>();
        volatile boolean closing;
        volatile String detail;

        Listener(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public void on(EngineEvent event) {
            switch (event) {
                case EngineEvent.Qr q -> qr.complete(q.text());
                case EngineEvent.Opened o -> open.complete(o.jid());
                case EngineEvent.Disconnected d -> disconnected(d.why());
                default -> {}
            }
        }

        private void disconnected(Disconnect why) {
            this.detail = why.detail();
            if (open.isDone() && !closing) {
                unexpectedDisconnects.incrementAndGet();
                unexpected.add(sessionId + ": " + why.reason() + " " + why.detail());
            }
            ended.complete(why.reason());
        }

        /** Waits for {@code f}; fails at once if the connection ends first. */
        <T> T await(CompletableFuture<T> f, String what) throws Exception {
            CompletableFuture.anyOf(f, ended).get(waitNanos(), TimeUnit.NANOSECONDS);
            if (f.isDone()) {
                return f.get();
            }
            throw new IllegalStateException(
                    sessionId + ": connection ended (" + ended.get() + " " + detail + ") while waiting for " + what);
        }
    }

    private final class Session {
        final String id;
        final String number;
        volatile WaClient client;
        volatile Listener listener;

        Session(int i) {
            id = String.format(Locale.ROOT, "fp-%04d", i);
            number = String.format(Locale.ROOT, "5511%07d", 9_000_000 + i);
        }

        /** A new device: QR, the phone scans, 515 restart-required, then a new client logs in. */
        void pairAndOpen() throws Exception {
            String phoneId = sim.addPhone(number);
            Listener l = new Listener(id);
            WaClient c = new WaClient(runtime, config, id, store, Optional.empty(), l);
            c.connect();
            String qr = l.await(l.qr, "QR");
            sim.scan(phoneId, qr);
            DisconnectReason r = l.ended.get(waitNanos(), TimeUnit.NANOSECONDS);
            if (r != DisconnectReason.RESTART_REQUIRED) {
                throw new IllegalStateException(
                        id + ": expected 515 restart-required after pairing, got " + r + " " + l.detail);
            }
            open();
        }

        /** A login from the stored credentials (as the service does after 515 and after a restart). */
        void open() throws Exception {
            Listener l = new Listener(id);
            WaClient c = new WaClient(runtime, config, id, store, Optional.empty(), l);
            listener = l;
            client = c;
            c.connect();
            l.await(l.open, "open");
        }

        void close() throws Exception {
            Listener l = listener;
            l.closing = true;
            client.close();
            DisconnectReason r = l.ended.get(waitNanos(), TimeUnit.NANOSECONDS);
            if (r != DisconnectReason.USER_CLOSED) {
                throw new IllegalStateException(id + ": close ended with " + r + " " + l.detail);
            }
            client = null;
            listener = null;
        }
    }

    private Duration afterClose() {
        Duration min = Duration.ofSeconds(4);
        return settle.compareTo(min) > 0 ? settle : min;
    }

    private long waitNanos() throws TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException("overall timeout " + timeout + " exceeded");
        }
        return Math.min(left, STEP.toNanos());
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    /** Runs the step for every session, {@code parallel} at a time on virtual threads; fails loudly. */
    private void forEach(String name, Step step) throws Exception {
        forEach(name, 0, step);
    }

    private void forEach(String name, int from, Step step) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        AtomicInteger done = new AtomicInteger(from);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int progressEvery = Math.max(1, sessions / 5);
        IntConsumer worker = w -> {
            int i;
            while ((i = next.getAndIncrement()) < sessions && failures.isEmpty()) {
                try {
                    step.run(i);
                    int d = done.incrementAndGet();
                    if (d % progressEvery == 0 || d == sessions) {
                        System.out.println("  " + name + ": " + d + "/" + sessions);
                    }
                } catch (Exception e) {
                    failures.add("session " + i + ": " + e);
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < Math.min(parallel, sessions); w++) {
            int ww = w;
            threads.add(Thread.ofVirtual().name("footprint-" + name + "-" + w).start(() -> worker.accept(ww)));
        }
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                throw new IllegalStateException(name + ": not finished within the overall timeout " + timeout + " ("
                        + done.get() + "/" + sessions + " done)");
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(name + " failed for " + failures.size() + " session(s), first: "
                    + failures.stream().limit(3).collect(Collectors.joining("; ")));
        }
        if (done.get() != sessions) {
            throw new IllegalStateException(name + ": only " + done.get() + "/" + sessions + " done");
        }
    }

    private void requireAllOpen(Session[] all, String when) {
        long notOpen = Arrays.stream(all)
                .filter(s -> s.client == null || s.client.state() != WaClient.State.OPEN)
                .count();
        if (notOpen > 0 || unexpectedDisconnects.get() > 0) {
            throw new IllegalStateException(when + ": " + notOpen + " session(s) not open, "
                    + unexpectedDisconnects.get() + " unexpected disconnect(s): "
                    + unexpected.stream().limit(3).collect(Collectors.joining("; ")));
        }
    }

    // ---------------------------------------------------------------- report

    private java.util.Map<String, long[]> baselineHistogram;
    private String previousPhase;

    /**
     * With {@code --histogram L}: the L classes whose live bytes changed most since the previous phase
     * (from the live-object class histogram, what {@code jcmd PID GC.class_histogram} prints).
     */
    private void histogram(String phase) {
        if (histogram <= 0) {
            return;
        }
        java.util.Map<String, long[]> now = classHistogram();
        if (baselineHistogram == null) {
            baselineHistogram = now;
            previousPhase = phase;
            return;
        }
        System.out.println("-- live objects, " + phase + ", change since " + previousPhase + " (top " + histogram
                + " by |bytes|) --");
        System.out.printf(Locale.ROOT, "%14s %14s  %s%n", "+instances", "+bytes", "class");
        now.entrySet().stream()
                .map(e -> {
                    long[] b = baselineHistogram.getOrDefault(e.getKey(), new long[2]);
                    return java.util.Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .sorted((a, b) -> Long.compare(Math.abs(b.getValue()[1]), Math.abs(a.getValue()[1])))
                .limit(histogram)
                .forEach(e -> System.out.printf(
                        Locale.ROOT, "%+14d %+14d  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));
        baselineHistogram = now;
        previousPhase = phase;
    }

    private static java.util.Map<String, long[]> classHistogram() {
        java.util.Map<String, long[]> m = new java.util.HashMap<>();
        try {
            Object out = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
            out.toString().lines().forEach(line -> {
                java.util.regex.Matcher mm = row.matcher(line);
                if (mm.find()) {
                    m.merge(
                            mm.group(3),
                            new long[] {Long.parseLong(mm.group(1)), Long.parseLong(mm.group(2))},
                            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                }
            });
        } catch (Exception e) {
            System.out.println("(no class histogram: " + e + ")");
        }
        return m;
    }

    private void printEnvironment() {
        var rt = ManagementFactory.getRuntimeMXBean();
        System.out.println("== Linkwell per-session footprint ==");
        System.out.println("date:       " + Instant.now());
        System.out.println("jvm:        " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("jvm args:   " + String.join(" ", rt.getInputArguments()));
        System.out.println("gc:         "
                + ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", ")));
        System.out.println("max heap:   " + mib(Runtime.getRuntime().maxMemory()) + " MiB");
        System.out.println("cpus:       " + Runtime.getRuntime().availableProcessors() + " available");
        System.out.println("os:         " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        System.out.println("sessions:   " + sessions + ", parallel " + parallel + ", settle " + settle.toSeconds()
                + " s, timeout " + timeout.toSeconds() + " s");
    }

    private void report(
            Footprint base,
            Footprint first,
            Footprint open,
            Footprint closed,
            Footprint relogin,
            Footprint end,
            long pairNanos,
            long closeNanos,
            long reloginNanos,
            long storeBytes,
            int storeBlobs,
            long simRssOpen,
            String loadBefore,
            String loadAfter) {
        int n = sessions;
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-30s %8s %10s %14s %12s %10s %9s %13s %9s %11s%n",
                "phase",
                "sessions",
                "heap MiB",
                "heap/sess KiB",
                "non-heap MiB",
                "direct KiB",
                "RSS MiB",
                "RSS/sess KiB",
                "threads",
                "thr/sess");
        row("baseline (runtime ready)", 0, base, base, n);
        if (first != null) {
            row("first session open, idle", 1, first, base, 1);
        }
        row("all open, idle", n, open, base, n);
        row("all closed (creds in store)", 0, closed, base, n);
        row("re-logged in, idle", n, relogin, base, n);
        row("after final close", 0, end, base, n);
        System.out.println(
                "  per-session columns: (value - baseline) / sessions; on 0-session rows: value - baseline, total");
        if (first != null) {
            System.out.printf(
                    Locale.ROOT, "marginal per session, sessions 2..%d (value - first-session row) / %d:%n", n, n - 1);
            marginal("  all open, idle", open, first, n - 1);
            marginal("  re-logged in, idle", relogin, first, n - 1);
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "pair+open all %d:          %8.2f s  (%.1f sessions/s; QR, scan, 515, login)%n",
                n,
                pairNanos / 1e9,
                n / (pairNanos / 1e9));
        System.out.printf(Locale.ROOT, "close all %d:              %8.2f s%n", n, closeNanos / 1e9);
        System.out.printf(
                Locale.ROOT,
                "re-login all %d from store: %7.2f s  (%.1f sessions/s)%n",
                n,
                reloginNanos / 1e9,
                n / (reloginNanos / 1e9));
        System.out.printf(
                Locale.ROOT,
                "credential store:           %d blobs, %.1f KiB payload (%.2f KiB/session; counted in the heap figures)%n",
                storeBlobs,
                storeBytes / 1024.0,
                storeBytes / 1024.0 / n);
        if (simRssOpen >= 0) {
            System.out.printf(
                    Locale.ROOT,
                    "simulator child RSS:        %.1f MiB with all sessions open (NOT included above)%n",
                    simRssOpen / 1024.0);
        }
        System.out.println("load average before/after:  " + loadBefore + " / " + loadAfter);
        System.out.println("platform threads, all open: " + open.threadGroups());
        System.out.println("unexpected disconnects:     " + unexpectedDisconnects.get());
    }

    private static void row(String phase, int count, Footprint f, Footprint base, int n) {
        double heapDelta = (f.heapUsed() - base.heapUsed()) / 1024.0;
        double rssDelta = f.rssKiB() - base.rssKiB();
        int thrDelta = f.platformThreads() - base.platformThreads();
        int div = count == 0 ? 1 : n;
        System.out.printf(
                Locale.ROOT,
                "%-30s %8d %10.1f %14s %12.1f %10.1f %9.1f %13s %9d %11s%n",
                phase,
                count,
                mib(f.heapUsed()),
                count == 0 && f == base ? "-" : fmt(heapDelta / div, count == 0),
                mib(f.nonHeapUsed()),
                f.directUsed() / 1024.0,
                f.rssKiB() / 1024.0,
                count == 0 && f == base ? "-" : fmt(rssDelta / div, count == 0),
                f.platformThreads(),
                count == 0 && f == base
                        ? "-"
                        : String.format(
                                Locale.ROOT,
                                count == 0 ? "(%+d)" : "%.2f",
                                count == 0 ? thrDelta : (Object) (thrDelta / (double) n)));
    }

    private static void marginal(String label, Footprint f, Footprint first, int k) {
        System.out.printf(
                Locale.ROOT,
                "%-24s heap %.1f KiB, RSS %.1f KiB, non-heap %.1f KiB, platform threads %.3f%n",
                label,
                (f.heapUsed() - first.heapUsed()) / 1024.0 / k,
                (f.rssKiB() - first.rssKiB()) / (double) k,
                (f.nonHeapUsed() - first.nonHeapUsed()) / 1024.0 / k,
                (f.platformThreads() - first.platformThreads()) / (double) k);
    }

    private static String fmt(double v, boolean total) {
        return String.format(Locale.ROOT, total ? "(%+.1f)" : "%.1f", v);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
