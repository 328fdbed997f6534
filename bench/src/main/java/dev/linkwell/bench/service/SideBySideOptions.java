package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.LoadGate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link SideBySide} runs. The defaults are the figures of issue 14: 0, 100, 1,000 and 5,000 paired sessions;
 * PUT-to-QR over the first 1,000 sessions, started 50 at a time; a restart with 1,000 and with 5,000 paired
 * sessions. {@code --smoke}
 * runs the same steps with 2 sessions, for the test suite. Readings wait {@link #settle} after the last session
 * opened: 65 s by default, because Tomcat keeps the worker threads that the 50 concurrent PUTs of a wave took for
 * 60 s of idleness before it lets them go, and an idle service is what is measured.
 *
 * @param engines the providers, measured one after the other, each in a service of its own
 * @param sizes the numbers of paired, open sessions at which the footprint is read, ascending
 * @param qrSessions PUT-to-QR is timed for the first this many sessions
 * @param wave sessions started at a time (PUT, QR, scan, open; the next wave starts when all are open)
 * @param restarts the session counts at which the service is restarted (and the restored sessions read again)
 * @param settle idle time after the last session opened, before the CPU window and the readings
 * @param idleWindow CPU time of the service (and the Node host) is read over this window of idling
 * @param placement which cores the service may use, and whether the simulator runs in a JVM of its own
 * @param serviceEnv settings added to each service's environment ({@code --service-env NAME=VALUE,...}), e.g. the
 *     Baileys host's heap limit {@code BAILEYS_MAX_HEAP=8GB}; the harness's own settings win
 * @param histogram with more than 0: the service's class histogram (top lines) at each reading
 * @param traffic the after-traffic profile and the throughput ramp, at the largest size
 * @param loadGate each reading waits (bounded) for the machine's load to fall below a mark
 * @param profileHost a folder for CPU profiles of the Baileys host, one per step (pairing, until the traffic, the
 *     traffic), or null for none
 * @param out a folder for the report and the raw readings, or null
 */
public record SideBySideOptions(
        List<String> engines,
        List<Integer> sizes,
        int qrSessions,
        int wave,
        List<Integer> restarts,
        Duration settle,
        Duration idleWindow,
        Path serviceJar,
        Path baileysHostDir,
        List<String> serviceJvmOpts,
        List<String> simulatorJvmOpts,
        Placement placement,
        Map<String, String> serviceEnv,
        Duration timeout,
        int histogram,
        TrafficOptions traffic,
        LoadGate loadGate,
        Path profileHost,
        Path out) {

    public static final List<String> ENGINES = List.of("native", "baileys");

    /**
     * Where the processes run. By default nothing is pinned and the simulator is a child JVM: the service, the
     * simulator and the harness share every core. On two cores the load generator (the simulator's phones and the
     * harness) then reaches its limit before the native service does. To find the service's own limit, give it cores
     * of its own ({@code --service-cpus}: it starts under {@code taskset}, and its Node host inherits them), start
     * the harness under {@code taskset} on the others, and keep the simulator in the harness's JVM
     * ({@code --simulator in-process}), which spares each send an admin HTTP call on both sides.
     *
     * @param serviceCpus the cores the service may use, as taskset lists them ({@code 1}, {@code 0,2-3}), or null
     * @param simulatorInProcess the simulator in the harness's JVM instead of a child JVM
     */
    public record Placement(String serviceCpus, boolean simulatorInProcess) {

        static final Placement SHARED = new Placement(null, false);

        private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

        public Placement {
            if (serviceCpus != null && !CPU_LIST.matcher(serviceCpus).matches()) {
                throw new IllegalArgumentException(
                        "--service-cpus takes a CPU list as taskset does (1, or 0,2-3), got " + serviceCpus);
            }
        }

        Placement with(String option, String v) {
            return switch (option) {
                case "--service-cpus" -> new Placement(v.isBlank() ? null : v.strip(), simulatorInProcess);
                case "--simulator" ->
                    switch (v) {
                        case "child" -> new Placement(serviceCpus, false);
                        case "in-process" -> new Placement(serviceCpus, true);
                        default -> throw new IllegalArgumentException("--simulator is child or in-process, got " + v);
                    };
                default -> throw new IllegalArgumentException("unknown option " + option);
            };
        }
    }

    /**
     * The traffic after the idle readings, at the largest size: the first {@code sessions} sessions each get a message
     * from {@code contacts} contacts and from every member of {@code groups} groups of {@code groupSize}, idle, and are
     * read again; then the inbound throughput ramp sends to them at each of {@code rates} (messages per second) for
     * {@code step} until latency breaks.
     *
     * @param sessions how many sessions get the traffic; 0 for none (no traffic, no ramp); -1 for all of the largest
     *     size
     */
    public record TrafficOptions(
            int sessions, int contacts, int groups, int groupSize, List<Integer> rates, Duration step) {

        public TrafficOptions {
            rates = List.copyOf(new TreeSet<>(rates));
        }

        int senders() {
            return contacts + groups * groupSize;
        }

        TrafficOptions withSessions(int n) {
            return new TrafficOptions(n, contacts, groups, groupSize, rates, step);
        }

        TrafficOptions with(String option, String v) {
            return switch (option) {
                case "--traffic-sessions" -> withSessions(Integer.parseInt(v));
                case "--contacts" -> new TrafficOptions(sessions, Integer.parseInt(v), groups, groupSize, rates, step);
                case "--groups" -> new TrafficOptions(sessions, contacts, Integer.parseInt(v), groupSize, rates, step);
                case "--group-size" -> new TrafficOptions(sessions, contacts, groups, Integer.parseInt(v), rates, step);
                case "--rates" -> new TrafficOptions(sessions, contacts, groups, groupSize, numbers(v), step);
                case "--step" ->
                    new TrafficOptions(
                            sessions, contacts, groups, groupSize, rates, Duration.ofSeconds(Long.parseLong(v)));
                default -> throw new IllegalArgumentException("unknown option " + option);
            };
        }
    }

    static final String USAGE = """
            usage: SideBySide [--smoke] [--engines native,baileys] [--sizes 0,100,1000,5000] [--qr-sessions 1000]
                              [--wave 50] [--restarts 1000,5000] [--settle SECONDS] [--idle-window SECONDS]
                              [--service-jar service/target/linkwell-service.jar] [--baileys-host engines/baileys]
                              [--service-jvm-opts "-Xmx2g"] [--simulator-jvm-opts "-Xmx4g"] [--timeout SECONDS]
                              [--service-cpus CPU-LIST] [--simulator child|in-process]
                              [--service-env NAME=VALUE,...]
                              [--histogram LINES] [--traffic-sessions N|0] [--contacts 20] [--groups 2]
                              [--group-size 50] [--rates 25,50,100,200,400,800,1600,3200] [--step SECONDS]
                              [--max-load 1.5] [--load-wait SECONDS] [--profile-host DIR] [--out DIR]""";

    public SideBySideOptions {
        engines = List.copyOf(engines);
        sizes = List.copyOf(new TreeSet<>(sizes));
        restarts = List.copyOf(new TreeSet<>(restarts));
        serviceJvmOpts = List.copyOf(serviceJvmOpts);
        simulatorJvmOpts = List.copyOf(simulatorJvmOpts);
        serviceEnv = Collections.unmodifiableMap(new TreeMap<>(serviceEnv));
    }

    /** This, if its values fit together; checked once every option is read. */
    SideBySideOptions validated() {
        if (engines.isEmpty() || !ENGINES.containsAll(engines)) {
            throw new IllegalArgumentException("--engines takes native and/or baileys");
        }
        if (sizes.isEmpty() || sizes.getFirst() < 0 || sizes.getLast() > 20_000) {
            throw new IllegalArgumentException("--sizes must be between 0 and 20000");
        }
        int max = sizes.getLast();
        if (qrSessions < 0 || qrSessions > max) {
            throw new IllegalArgumentException("--qr-sessions must be at most the largest size");
        }
        if (restarts.stream().anyMatch(r -> r < 1 || r > max)) {
            throw new IllegalArgumentException("--restarts must be between 1 and the largest size");
        }
        if (wave < 1) {
            throw new IllegalArgumentException("--wave must be at least 1");
        }
        if (traffic.sessions() < -1 || trafficSessions() > max) {
            throw new IllegalArgumentException("--traffic-sessions must be between 0 and the largest size");
        }
        if (trafficSessions() > 0
                && (traffic.contacts() < 1
                        || traffic.groups() < 0
                        || traffic.groupSize() < 1
                        || traffic.rates().isEmpty()
                        || traffic.rates().getFirst() < 1
                        || traffic.step().isNegative()
                        || traffic.step().isZero())) {
            throw new IllegalArgumentException(
                    "traffic needs at least one contact, groups of at least one, rates of at least 1/s and a step");
        }
        return this;
    }

    /** The figures, with the service and the Node host as the repository builds them. */
    public static SideBySideOptions defaults() {
        return new SideBySideOptions(
                ENGINES,
                List.of(0, 100, 1000, 5000),
                1000,
                50,
                List.of(1000, 5000),
                Duration.ofSeconds(65),
                Duration.ofSeconds(30),
                Path.of("service/target/linkwell-service.jar"),
                Path.of("engines/baileys"),
                List.of("-Xmx2g"),
                List.of("-Xmx4g"),
                Placement.SHARED,
                Map.of(),
                Duration.ofHours(3),
                0,
                new TrafficOptions(
                        -1, 20, 2, 50, List.of(25, 50, 100, 200, 400, 800, 1600, 3200), Duration.ofSeconds(15)),
                new LoadGate(1.5, Duration.ofSeconds(120)),
                null,
                null);
    }

    private static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    /** Every step with two sessions: seconds, not figures; for the test suite, so the harness cannot rot. */
    public SideBySideOptions smoke() {
        return new SideBySideOptions(
                engines,
                List.of(0, 2),
                2,
                2,
                List.of(2),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                serviceJar,
                baileysHostDir,
                // C1 only: every JVM of the smoke starts sooner, and nothing of it is a figure
                List.of("-Xmx512m", QUICK_START),
                List.of("-Xmx512m", QUICK_START),
                placement,
                serviceEnv,
                Duration.ofMinutes(5),
                histogram,
                new TrafficOptions(2, 2, 2, 2, List.of(5, 10), Duration.ofSeconds(1)),
                LoadGate.NONE,
                profileHost,
                out);
    }

    public SideBySideOptions withEngines(List<String> list) {
        return with("--engines", String.join(",", list));
    }

    public SideBySideOptions withHostProfiles(Path dir) {
        return with("--profile-host", dir.toString());
    }

    /** The service (and its Node host) on these cores only, as taskset lists them. */
    public SideBySideOptions withServiceCpus(String cpus) {
        return with("--service-cpus", cpus);
    }

    public SideBySideOptions withPaths(Path jar, Path hostDir) {
        return with("--service-jar", jar.toString()).with("--baileys-host", hostDir.toString());
    }

    /** How many sessions get the traffic: all of the largest size unless {@code --traffic-sessions} says fewer. */
    int trafficSessions() {
        return traffic.sessions() < 0 ? sizes.getLast() : traffic.sessions();
    }

    /** The session counts the run stops at, ascending: every size, and the count at which it restarts. */
    List<Integer> checkpoints() {
        TreeSet<Integer> all = new TreeSet<>(sizes);
        all.addAll(restarts);
        return List.copyOf(all);
    }

    static SideBySideOptions parse(String[] args) {
        SideBySideOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke" -> {
                    o = o.smoke();
                    continue;
                }
                default -> {
                    // an option with a value
                }
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            o = o.with(a, args[++i]);
        }
        return o.validated();
    }

    private SideBySideOptions with(String option, String v) {
        List<String> eng = engines;
        List<Integer> sz = sizes;
        int qr = qrSessions;
        int wv = wave;
        List<Integer> rs = restarts;
        Duration st = settle;
        Duration idle = idleWindow;
        Path jar = serviceJar;
        Path host = baileysHostDir;
        List<String> svcOpts = serviceJvmOpts;
        List<String> simOpts = simulatorJvmOpts;
        Placement where = placement;
        Map<String, String> env = serviceEnv;
        Duration to = timeout;
        int hist = histogram;
        TrafficOptions tr = traffic;
        LoadGate gate = loadGate;
        Path profiles = profileHost;
        Path dir = out;
        switch (option) {
            case "--engines" -> eng = List.of(v.split(","));
            case "--sizes" -> sz = numbers(v);
            case "--qr-sessions" -> qr = Integer.parseInt(v);
            case "--wave" -> wv = Integer.parseInt(v);
            case "--restarts" -> rs = v.isBlank() ? List.of() : numbers(v);
            case "--settle" -> st = Duration.ofSeconds(Long.parseLong(v));
            case "--idle-window" -> idle = Duration.ofSeconds(Long.parseLong(v));
            case "--service-jar" -> jar = Path.of(v);
            case "--baileys-host" -> host = Path.of(v);
            case "--service-jvm-opts" -> svcOpts = words(v);
            case "--simulator-jvm-opts" -> simOpts = words(v);
            case "--service-cpus", "--simulator" -> where = where.with(option, v);
            case "--service-env" -> env = settings(v);
            case "--timeout" -> to = Duration.ofSeconds(Long.parseLong(v));
            case "--histogram" -> hist = Integer.parseInt(v);
            case "--out" -> dir = Path.of(v);
            case "--profile-host" -> profiles = Path.of(v);
            case "--max-load" -> gate = new LoadGate(Double.parseDouble(v), gate.maxWait());
            case "--load-wait" -> gate = new LoadGate(gate.maxLoad(), Duration.ofSeconds(Long.parseLong(v)));
            case "--traffic-sessions", "--contacts", "--groups", "--group-size", "--rates", "--step" ->
                tr = tr.with(option, v);
            default -> throw new IllegalArgumentException("unknown option " + option);
        }
        return new SideBySideOptions(
                eng, sz, qr, wv, rs, st, idle, jar, host, svcOpts, simOpts, where, env, to, hist, tr, gate, profiles,
                dir);
    }

    private static List<Integer> numbers(String v) {
        return Arrays.stream(v.split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
    }

    private static final Pattern SETTING = Pattern.compile("([A-Z][A-Z0-9_]*)=(.*)");

    /** {@code NAME=VALUE,NAME=VALUE}: environment settings, named as the README names them. */
    private static Map<String, String> settings(String v) {
        Map<String, String> settings = new TreeMap<>();
        for (String pair : v.isBlank() ? new String[0] : v.split(",")) {
            Matcher m = SETTING.matcher(pair.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "--service-env takes NAME=VALUE pairs separated by commas, got " + pair);
            }
            settings.put(m.group(1), m.group(2));
        }
        return settings;
    }

    private static List<String> words(String v) {
        return v.isBlank() ? List.of() : List.of(v.strip().split("\\s+"));
    }
}
