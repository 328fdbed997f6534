package dev.linkwell.bench.engine;

import java.time.Duration;
import java.util.List;

/**
 * What {@link SessionFootprint} runs: how many sessions, how many paired at a time, where the simulator runs, how
 * long to let sessions settle, the overall timeout and whether to print class histograms.
 */
record FootprintOptions(
        int sessions,
        int parallel,
        boolean childSimulator,
        List<String> simulatorJvmOpts,
        Duration settle,
        Duration timeout,
        int histogram) {

    static final String USAGE = "usage: SessionFootprint [--sessions N] [--parallel P] [--simulator child|in-process]"
            + " [--simulator-jvm-opts \"OPTS\"] [--settle SECONDS] [--timeout SECONDS] [--histogram LINES]";

    static FootprintOptions parse(String[] args) {
        int sessions = 50;
        int parallel = 16;
        boolean child = true;
        List<String> simOpts = List.of("-Xmx1g");
        Duration settle = Duration.ofSeconds(5);
        Duration timeout = Duration.ofMinutes(5);
        int histogram = 0;
        for (int i = 0; i < args.length; i += 2) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[i + 1];
            switch (a) {
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--parallel" -> parallel = Integer.parseInt(v);
                case "--simulator" ->
                    child = switch (v) {
                        case "child" -> true;
                        case "in-process" -> false;
                        default -> throw new IllegalArgumentException("--simulator is child or in-process");
                    };
                case "--simulator-jvm-opts" ->
                    simOpts = v.isBlank() ? List.of() : List.of(v.strip().split("\\s+"));
                case "--settle" -> settle = Duration.ofSeconds(Long.parseLong(v));
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(v));
                case "--histogram" -> histogram = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (sessions < 1 || sessions > 9999 || parallel < 1) {
            throw new IllegalArgumentException("--sessions must be 1..9999 and --parallel at least 1");
        }
        return new FootprintOptions(sessions, parallel, child, simOpts, settle, timeout, histogram);
    }

    /**
     * How long to wait after closing before measuring: at least 4 s, because the engine's transport keeps a closed
     * JDK WebSocket (and its buffers) reachable for up to 2 s ({@code CLOSE_GRACE}) before it aborts the connection.
     */
    Duration afterClose() {
        Duration min = Duration.ofSeconds(4);
        return settle.compareTo(min) > 0 ? settle : min;
    }
}
