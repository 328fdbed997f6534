package dev.linkwell.bench.engine;

import java.io.PrintStream;
import java.util.Locale;

/** The table {@link SessionFootprint} prints: each phase's footprint, per session, marginal, and the times. */
final class FootprintReport {

    /** The readings of one run, in the order they were taken; {@code first} is null with one session. */
    record Phases(
            Footprint baseline, Footprint first, Footprint open, Footprint closed, Footprint relogin, Footprint end) {}

    /** Durations of the timed steps, in nanoseconds. */
    record Times(long pairNanos, long closeNanos, long reloginNanos) {}

    /** What else the report says: the credential store's size, the simulator's RSS, the load, the disconnects. */
    record Context(
            long storeBytes, int storeBlobs, long simRssKiB, String loadBefore, String loadAfter, int unexpected) {}

    private final PrintStream out;

    FootprintReport(PrintStream out) {
        this.out = out;
    }

    void print(int n, Phases p, Times t, Context c) {
        out.println();
        out.printf(
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
        row("baseline (runtime ready)", 0, p.baseline(), p.baseline(), n);
        if (p.first() != null) {
            row("first session open, idle", 1, p.first(), p.baseline(), 1);
        }
        row("all open, idle", n, p.open(), p.baseline(), n);
        row("all closed (creds in store)", 0, p.closed(), p.baseline(), n);
        row("re-logged in, idle", n, p.relogin(), p.baseline(), n);
        row("after final close", 0, p.end(), p.baseline(), n);
        out.println("  per-session columns: (value - baseline) / sessions; on 0-session rows: value - baseline, total");
        if (p.first() != null) {
            out.printf(
                    Locale.ROOT, "marginal per session, sessions 2..%d (value - first-session row) / %d:%n", n, n - 1);
            marginal("  all open, idle", p.open(), p.first(), n - 1);
            marginal("  re-logged in, idle", p.relogin(), p.first(), n - 1);
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "pair+open all %d:          %8.2f s  (%.1f sessions/s; QR, scan, 515, login)%n",
                n,
                t.pairNanos() / 1e9,
                n / (t.pairNanos() / 1e9));
        out.printf(Locale.ROOT, "close all %d:              %8.2f s%n", n, t.closeNanos() / 1e9);
        out.printf(
                Locale.ROOT,
                "re-login all %d from store: %7.2f s  (%.1f sessions/s)%n",
                n,
                t.reloginNanos() / 1e9,
                n / (t.reloginNanos() / 1e9));
        out.printf(
                Locale.ROOT,
                "credential store:           %d blobs, %.1f KiB payload (%.2f KiB/session; counted in the heap figures)%n",
                c.storeBlobs(),
                c.storeBytes() / 1024.0,
                c.storeBytes() / 1024.0 / n);
        if (c.simRssKiB() >= 0) {
            out.printf(
                    Locale.ROOT,
                    "simulator child RSS:        %.1f MiB with all sessions open (NOT included above)%n",
                    c.simRssKiB() / 1024.0);
        }
        out.println("load average before/after:  " + c.loadBefore() + " / " + c.loadAfter());
        out.println("platform threads, all open: " + p.open().threadGroups());
        out.println("unexpected disconnects:     " + c.unexpected());
    }

    private void row(String phase, int count, Footprint f, Footprint base, int n) {
        double heapDelta = (f.heapUsed() - base.heapUsed()) / 1024.0;
        double rssDelta = f.rssKiB() - base.rssKiB();
        int thrDelta = f.platformThreads() - base.platformThreads();
        int div = count == 0 ? 1 : n;
        boolean isBase = count == 0 && f == base;
        out.printf(
                Locale.ROOT,
                "%-30s %8d %10.1f %14s %12.1f %10.1f %9.1f %13s %9d %11s%n",
                phase,
                count,
                mib(f.heapUsed()),
                isBase ? "-" : perSession(heapDelta / div, count == 0),
                mib(f.nonHeapUsed()),
                f.directUsed() / 1024.0,
                f.rssKiB() / 1024.0,
                isBase ? "-" : perSession(rssDelta / div, count == 0),
                f.platformThreads(),
                isBase
                        ? "-"
                        : count == 0
                                ? String.format(Locale.ROOT, "(%+d)", thrDelta)
                                : String.format(Locale.ROOT, "%.2f", thrDelta / (double) n));
    }

    private void marginal(String label, Footprint f, Footprint first, int k) {
        out.printf(
                Locale.ROOT,
                "%-24s heap %.1f KiB, RSS %.1f KiB, non-heap %.1f KiB, platform threads %.3f%n",
                label,
                (f.heapUsed() - first.heapUsed()) / 1024.0 / k,
                (f.rssKiB() - first.rssKiB()) / (double) k,
                (f.nonHeapUsed() - first.nonHeapUsed()) / 1024.0 / k,
                (f.platformThreads() - first.platformThreads()) / (double) k);
    }

    private static String perSession(double v, boolean total) {
        return String.format(Locale.ROOT, total ? "(%+.1f)" : "%.1f", v);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
