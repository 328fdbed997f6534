package dev.linkwell.bench.service;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The traffic part of the report: the delivery, what it left in memory, and the throughput ramp. */
final class TrafficReport {

    private static final double KIB = 1024.0;

    private TrafficReport() {}

    /** Per engine: the delivery and the ramp, one line per rate. */
    static void engine(StringBuilder md, EngineResult e) {
        if (e.traffic() != null) {
            md.append(capitalized(e.traffic().summary())).append(".\n");
        }
        if (!e.throughput().isEmpty()) {
            md.append("\nInbound throughput, ")
                    .append(e.traffic() == null ? "" : e.traffic().sessions() + " sessions, ")
                    .append("phone send to SSE receipt:\n\n");
            md.append(
                    "| offered/s | sent/s | delivered/s | p50 | p99 | max | lost | CPU service (+host) | CPU simulator |"
                            + " load | broke |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (Throughput.Step s : e.throughput()) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %d | %.0f | %.0f | %.0f ms | %.0f ms | %.0f ms | %d | %.0f%% | %.0f%% | %s | %s |%n",
                        s.rate(),
                        s.sentPerSecond(),
                        s.deliveredPerSecond(),
                        s.latency().millis(0.50),
                        s.latency().millis(0.99),
                        s.latency().max() / 1e6,
                        s.lost(),
                        s.cpuPercent(),
                        s.simulatorCpuPercent(),
                        s.load(),
                        s.broke() == null ? "" : s.broke()));
            }
            md.append('\n');
        }
    }

    /** Rows of the side-by-side table. */
    static void sideBySide(StringBuilder md, EngineResult a, EngineResult b) {
        if (a.traffic() == null && b.traffic() == null) {
            return;
        }
        Row.add(
                md,
                "traffic delivered, messages per second",
                a,
                b,
                "%.0f",
                e -> e.traffic() == null
                        ? Optional.empty()
                        : Optional.of(e.traffic().perSecond()));
        growth(md, "heap growth per session from traffic", a, b, r -> r.totalHeap() / KIB);
        growth(md, "RSS growth per session from traffic", a, b, r -> r.totalRssKiB() * 1.0);
        Row.add(
                md,
                "inbound throughput sustained (p99 under 1 s, nothing lost), messages/s",
                a,
                b,
                "%.0f",
                e -> e.throughput().isEmpty()
                        ? Optional.empty()
                        : Optional.of((double) Throughput.sustained(e.throughput())));
        TreeSet<Integer> rates = new TreeSet<>();
        a.throughput().forEach(s -> rates.add(s.rate()));
        b.throughput().forEach(s -> rates.add(s.rate()));
        for (int rate : rates) {
            for (double p : new double[] {0.50, 0.99}) {
                Row.add(
                        md,
                        String.format(Locale.ROOT, "latency p%d at %d messages/s offered", (int) (p * 100), rate),
                        a,
                        b,
                        "%.0f ms",
                        e -> step(e, rate).map(s -> s.latency().millis(p)));
            }
        }
    }

    /** (value after traffic - value idle at the same size) / sessions that got traffic. */
    private static void growth(
            StringBuilder md, String label, EngineResult a, EngineResult b, ToDoubleFunction<Reading> value) {
        Optional<Reading> sample = afterTraffic(a).or(() -> afterTraffic(b));
        if (sample.isEmpty()) {
            return;
        }
        int n = sample.get().sessions();
        int t = (a.traffic() != null ? a.traffic() : b.traffic()).sessions();
        Row.add(
                md,
                String.format(Locale.ROOT, "%s, (%d after traffic - %d) / %d", label, n, n, t),
                a,
                b,
                "%.0f KiB",
                e -> afterTraffic(e)
                        .flatMap(after -> idle(e, after.sessions())
                                .map(idle -> (value.applyAsDouble(after) - value.applyAsDouble(idle))
                                        / e.traffic().sessions())));
    }

    private static Optional<Reading> afterTraffic(EngineResult e) {
        return e.readings().stream()
                .filter(r -> r.profile() == Reading.Profile.AFTER_TRAFFIC)
                .findFirst();
    }

    /** The idle reading at this size: after the restart if there was one (the service the traffic went to). */
    private static Optional<Reading> idle(EngineResult e, int sessions) {
        List<Reading> same = e.readings().stream()
                .filter(r -> r.sessions() == sessions && r.profile() != Reading.Profile.AFTER_TRAFFIC)
                .toList();
        return same.isEmpty() ? Optional.empty() : Optional.of(same.getLast());
    }

    private static Optional<Throughput.Step> step(EngineResult e, int rate) {
        return e.throughput().stream().filter(s -> s.rate() == rate).findFirst();
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** One row of the side-by-side table. */
    private interface Row {
        Optional<Double> value(EngineResult e);

        static void add(StringBuilder md, String label, EngineResult a, EngineResult b, String format, Row row) {
            SideBySideReport.row(md, label, row.value(a), row.value(b), format);
        }
    }
}
