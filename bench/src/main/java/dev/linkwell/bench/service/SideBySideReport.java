package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Percentiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The figures as Markdown: a table per engine with every reading, then one table with each figure for both engines
 * and their ratio (second engine / first). The same text goes to the console and to {@code report.md}.
 */
final class SideBySideReport {

    private static final double KIB = 1024.0;
    private static final double MIB = 1024.0 * 1024.0;

    private SideBySideReport() {}

    /** One line per reading, for the console while the run goes on. */
    static String summary(String engine, Reading r) {
        return String.format(
                Locale.ROOT,
                "%s, %s sessions: RSS %.1f MiB (service %.1f%s), heap %.1f MiB, %d OS threads, idle CPU %.1f%%%s,"
                        + " load %s; service threads: %s",
                engine,
                r.label(),
                r.totalRssKiB() / KIB,
                r.service().rssKiB() / KIB,
                r.host() == null
                        ? ""
                        : String.format(
                                Locale.ROOT, " + Node host %.1f", r.host().rssKiB() / KIB),
                r.totalHeap() / MIB,
                r.totalOsThreads(),
                r.totalIdleCpuPercent(),
                r.hostEventLoop() == null ? "" : ", host event loop " + delay(r.hostEventLoop()),
                r.loadAfter(),
                r.topServiceThreads(4));
    }

    static String summary(Restore.Result r) {
        return String.format(
                Locale.ROOT,
                "restart with %d sessions: ready after %.1f s, all open after %.1f s; %d connection attempts, at most %d"
                        + " in one second; load %s",
                r.sessions(),
                r.untilReady().toMillis() / 1000.0,
                r.untilAllOpen().toMillis() / 1000.0,
                r.attempts(),
                r.peakPerSecond(),
                r.loadAfter());
    }

    static String summary(EngineResult.PairingStretch p) {
        return String.format(
                Locale.ROOT,
                "paired sessions %d to %d in %.1f s (%.1f per second, %.0f ms of CPU per session%s)",
                p.from(),
                p.to() - 1,
                p.took().toMillis() / 1000.0,
                p.perSecond(),
                p.cpuMillisPerSession(),
                p.hostEventLoop() == null ? "" : "; host event loop " + delay(p.hostEventLoop()));
    }

    private static String delay(NodeProbe.EventLoopDelay d) {
        NodeProbe.GcPauses gc = d.gc();
        return String.format(
                Locale.ROOT,
                "late by p99 %.0f ms, max %.0f ms; GC paused it %.0f ms in %d collections (longest %.0f ms; %d major,"
                        + " %.0f ms)",
                d.p99Ms(),
                d.maxMs(),
                gc.totalMs(),
                gc.count(),
                gc.maxMs(),
                gc.majorCount(),
                gc.majorMs());
    }

    static String markdown(List<EngineResult> results) {
        StringBuilder md = new StringBuilder();
        for (EngineResult e : results) {
            engineTable(md, e);
        }
        if (results.size() == 2) {
            sideBySide(md, results.get(0), results.get(1));
        }
        return md.toString();
    }

    private static void engineTable(StringBuilder md, EngineResult e) {
        md.append("### ").append(e.engine()).append("\n\n");
        if (e.error() != null) {
            md.append("**Run failed:** `").append(e.error()).append("`\n\n");
        }
        if (!e.drops().isEmpty()) {
            md.append("**Sessions that left `open` unasked:** ")
                    .append(e.drops().size())
                    .append(" status events, first: `")
                    .append(e.drops().getFirst())
                    .append("`\n\n");
        }
        md.append("| sessions | service RSS | service heap after GC | service threads (OS / Java) | Node host RSS |"
                + " Node heap + external after GC | Node threads | total RSS | idle CPU (% of a core) | load before /"
                + " after |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Reading r : e.readings()) {
            Reading.ProcessReading s = r.service();
            Reading.ProcessReading h = r.host();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f MiB | %.1f MiB | %d / %d | %s | %s | %s | %.1f MiB | %.2f | %s / %s |%n",
                    r.label(),
                    s.rssKiB() / KIB,
                    s.heapBytes() / MIB,
                    s.osThreads(),
                    s.javaThreads(),
                    h == null ? "-" : String.format(Locale.ROOT, "%.1f MiB", h.rssKiB() / KIB),
                    h == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT, "%.1f + %.1f MiB", h.heapBytes() / MIB, h.offHeapBytes() / MIB),
                    h == null ? "-" : Integer.toString(h.osThreads()),
                    r.totalRssKiB() / KIB,
                    r.totalIdleCpuPercent(),
                    r.loadBefore().split(" ")[0],
                    r.loadAfter().split(" ")[0]));
        }
        md.append('\n');
        if (!e.readings().isEmpty()) {
            Reading last = e.readings().getLast();
            md.append("Service threads at ")
                    .append(last.label())
                    .append(": ")
                    .append(last.topServiceThreads(8))
                    .append(".\n");
        }
        Percentiles qr = e.putToQr();
        if (qr.count() > 0) {
            md.append(String.format(
                    Locale.ROOT,
                    "PUT to QR over %d sessions: p50 %.0f ms, p99 %.0f ms, max %.0f ms%s.%n",
                    qr.count(),
                    qr.millis(0.50),
                    qr.millis(0.99),
                    qr.max() / 1e6,
                    e.lateQr() == 0
                            ? ""
                            : "; " + e.lateQr() + " PUTs answered without a QR (the service's start wait ran out),"
                                    + " timed to their session.qr event"));
        }
        e.pairing().forEach(p -> md.append(capitalized(summary(p))).append(".\n"));
        e.restores().forEach(r -> md.append(capitalized(summary(r))).append(".\n"));
        TrafficReport.engine(md, e);
        if (e.firstStart() != null) {
            md.append(String.format(
                    Locale.ROOT,
                    "Service start (process to ready): %.1f s.%n",
                    e.firstStart().toMillis() / 1000.0));
        }
        md.append('\n');
    }

    private static void sideBySide(StringBuilder md, EngineResult a, EngineResult b) {
        md.append("### Side by side\n\n");
        md.append(String.format(
                Locale.ROOT,
                "| figure | %s | %s | %s / %s |%n|---|---:|---:|---:|%n",
                a.engine(),
                b.engine(),
                b.engine(),
                a.engine()));
        Map<String, Reading[]> byLabel = new LinkedHashMap<>();
        a.readings().forEach(r -> byLabel.computeIfAbsent(r.key(), k -> new Reading[2])[0] = r);
        b.readings().forEach(r -> byLabel.computeIfAbsent(r.key(), k -> new Reading[2])[1] = r);
        figure(md, "RSS, %s sessions", byLabel, r -> r.totalRssKiB() / KIB, "%.1f MiB");
        figure(md, "heap after GC, %s sessions", byLabel, r -> r.totalHeap() / MIB, "%.1f MiB");
        figure(md, "platform threads (OS), %s sessions", byLabel, Reading::totalOsThreads, "%.0f");
        figure(md, "idle CPU, %s sessions (%% of a core)", byLabel, Reading::totalIdleCpuPercent, "%.2f");
        perSession(md, "RSS per session", byLabel, r -> r.totalRssKiB() * 1.0, "%.0f KiB");
        perSession(md, "heap per session", byLabel, r -> r.totalHeap() / KIB, "%.0f KiB");
        for (double p : new double[] {0.50, 0.99}) {
            row(
                    md,
                    String.format(
                            Locale.ROOT,
                            "PUT to QR, p%d (%d / %d sessions)",
                            (int) (p * 100),
                            a.putToQr().count(),
                            b.putToQr().count()),
                    millis(a.putToQr(), p),
                    millis(b.putToQr(), p),
                    "%.0f ms");
        }
        row(
                md,
                "PUTs answered without a QR (start wait ran out)",
                Optional.of((double) a.lateQr()),
                Optional.of((double) b.lateQr()),
                "%.0f");
        restores(md, a, b);
        TrafficReport.sideBySide(md, a, b);
        md.append('\n');
    }

    private static void figure(
            StringBuilder md,
            String label,
            Map<String, Reading[]> byLabel,
            ToDoubleFunction<Reading> value,
            String format) {
        byLabel.forEach((name, pair) ->
                row(md, String.format(Locale.ROOT, label, name), value(pair[0], value), value(pair[1], value), format));
    }

    /**
     * (value at N - value at 0) / N for each reading, and between consecutive readings of the same kind (paired or
     * restored): the cost of one more session.
     */
    private static void perSession(
            StringBuilder md,
            String label,
            Map<String, Reading[]> byLabel,
            ToDoubleFunction<Reading> value,
            String format) {
        Reading[] zero = byLabel.get("0");
        if (zero == null) {
            return;
        }
        // after traffic: TrafficReport, which knows how many sessions got the traffic
        for (Reading.Profile profile : List.of(Reading.Profile.PAIRED, Reading.Profile.RESTORED)) {
            List<Reading[]> series = new ArrayList<>();
            byLabel.values().stream()
                    .filter(p -> sample(p).sessions() > 0 && sample(p).profile() == profile)
                    .forEach(series::add);
            for (int i = 0; i < series.size(); i++) {
                Reading[] now = series.get(i);
                int n = sample(now).sessions();
                row(
                        md,
                        String.format(
                                Locale.ROOT,
                                "%s, (%s - 0) / %d",
                                label,
                                sample(now).label(),
                                n),
                        delta(zero[0], now[0], value),
                        delta(zero[1], now[1], value),
                        format);
                if (i > 0) {
                    Reading[] before = series.get(i - 1);
                    row(
                            md,
                            String.format(
                                    Locale.ROOT,
                                    "%s, marginal %s to %s",
                                    label,
                                    sample(before).key(),
                                    sample(now).key()),
                            delta(before[0], now[0], value),
                            delta(before[1], now[1], value),
                            format);
                }
            }
        }
    }

    private static Reading sample(Reading[] pair) {
        return pair[0] != null ? pair[0] : pair[1];
    }

    private static Optional<Double> value(Reading r, ToDoubleFunction<Reading> value) {
        return r == null ? Optional.empty() : Optional.of(value.applyAsDouble(r));
    }

    private static Optional<Double> delta(Reading from, Reading to, ToDoubleFunction<Reading> value) {
        if (from == null || to == null || to.sessions() == from.sessions()) {
            return Optional.empty();
        }
        return Optional.of((value.applyAsDouble(to) - value.applyAsDouble(from)) / (to.sessions() - from.sessions()));
    }

    private static Optional<Double> millis(Percentiles p, double at) {
        return p.count() == 0 ? Optional.empty() : Optional.of(p.millis(at));
    }

    private static void restores(StringBuilder md, EngineResult a, EngineResult b) {
        for (int i = 0; i < Math.max(a.restores().size(), b.restores().size()); i++) {
            Optional<Restore.Result> x =
                    i < a.restores().size() ? Optional.of(a.restores().get(i)) : Optional.empty();
            Optional<Restore.Result> y =
                    i < b.restores().size() ? Optional.of(b.restores().get(i)) : Optional.empty();
            int n = x.or(() -> y).orElseThrow().sessions();
            restoreRow(
                    md,
                    "restart to all " + n + " sessions open",
                    x,
                    y,
                    r -> r.untilAllOpen().toMillis() / 1000.0,
                    "%.1f s");
            restoreRow(
                    md,
                    "restart with " + n + ": peak connection attempts per second",
                    x,
                    y,
                    r -> (double) r.peakPerSecond(),
                    "%.0f");
            restoreRow(
                    md, "restart with " + n + ": connection attempts in all", x, y, r -> (double) r.attempts(), "%.0f");
        }
    }

    private static void restoreRow(
            StringBuilder md,
            String label,
            Optional<Restore.Result> a,
            Optional<Restore.Result> b,
            Function<Restore.Result, Double> value,
            String format) {
        row(md, label, a.map(value), b.map(value), format);
    }

    static void row(StringBuilder md, String label, Optional<Double> a, Optional<Double> b, String format) {
        String ratio = a.isPresent() && b.isPresent() && a.get() != 0
                ? String.format(Locale.ROOT, "%.2f", b.get() / a.get())
                : "-";
        md.append("| ")
                .append(label)
                .append(" | ")
                .append(a.map(v -> String.format(Locale.ROOT, format, v)).orElse("-"))
                .append(" | ")
                .append(b.map(v -> String.format(Locale.ROOT, format, v)).orElse("-"))
                .append(" | ")
                .append(ratio)
                .append(" |\n");
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
