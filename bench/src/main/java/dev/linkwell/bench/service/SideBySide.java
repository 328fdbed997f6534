package dev.linkwell.bench.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkwell.bench.harness.Deadline;
import dev.linkwell.bench.harness.HarnessMain;
import dev.linkwell.bench.harness.Machine;
import dev.linkwell.bench.harness.ProcFs;
import dev.linkwell.bench.harness.SimulatorHandle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Linkwell next to Baileys, both inside the service: starts the WhatsApp simulator (a child JVM), then for each
 * engine a service of its own from its jar with that engine as the default provider, pairs sessions through the
 * HTTP API and measures footprint (RSS, heap after GC, platform threads, idle CPU) at each size, PUT-to-QR
 * latency, and a restart with paired sessions (time until all are open, connection attempts per second). Baileys
 * runs as the service runs it: every socket in one supervised Node host ({@code engines/baileys}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.linkwell.bench.service.SideBySide [--smoke] [options]
 * </pre>
 *
 * See {@link SideBySideOptions} and BENCHMARKS.md. Exit status 0 when every engine ran through with no session
 * dropped; 1 otherwise; 2 on bad arguments; 3 when the overall timeout fired.
 */
public final class SideBySide {

    private final SideBySideOptions options;
    private final PrintStream out;
    private volatile SimulatorHandle sim;
    private volatile EngineRun current;

    SideBySide(SideBySideOptions options, PrintStream out) {
        this.options = options.validated();
        this.out = out;
    }

    public static void main(String[] args) {
        HarnessMain.exit(
                args,
                SideBySideOptions::parse,
                SideBySideOptions.USAGE,
                options -> new SideBySide(options, System.out).run().ok() ? 0 : 1);
    }

    /** Every engine's result, and the report. */
    record Outcome(List<EngineResult> results, String report) {
        boolean ok() {
            return results.stream().allMatch(EngineResult::ok);
        }
    }

    Outcome run() throws IOException, InterruptedException {
        Deadline deadline = Deadline.in(options.timeout());
        Thread watchdog = startWatchdog();
        // stopped from outside (Ctrl-C, kill): the service, its Node host and the simulator must not outlive the run
        Thread onStop = new Thread(SideBySide::killChildren, "side-by-side-stop");
        Runtime.getRuntime().addShutdownHook(onStop);
        String header = header();
        out.print(header);
        requireInstalled();
        Path runDir = Files.createTempDirectory("linkwell-side-by-side-");
        List<EngineResult> results = new ArrayList<>();
        try {
            NodeProbe nodeProbe = NodeProbe.install(runDir.resolve("node-probe"), options.profileHost() != null);
            sim = options.placement().simulatorInProcess()
                    ? new SimulatorHandle.InProcess()
                    : new SimulatorHandle.Child(options.simulatorJvmOpts(), Duration.ofSeconds(60));
            if (sim.pid() > 0) { // in the harness's JVM, the header said so; no figure here is the harness's
                out.println("simulator:  " + sim.describe());
            }
            Measurement measurement = new Measurement(sim, nodeProbe, options.idleWindow(), options.histogram(), out);
            for (String engine : options.engines()) {
                ServiceProcess.Launch launch = new ServiceProcess.Launch(
                        options.serviceJar(),
                        options.serviceJvmOpts(),
                        options.placement().serviceCpus(),
                        options.serviceEnv(),
                        runDir.resolve(engine),
                        engine,
                        sim.webSocketUrl(),
                        sim.trustAnchorHex(),
                        options.baileysHostDir(),
                        nodeProbe);
                current = new EngineRun(engine, options, sim, launch, measurement, deadline, out);
                results.add(current.run());
                current = null;
                measurement.forgetHistogram();
                writeReport(header, results); // so far: a run stopped from outside keeps the engines it finished
            }
        } finally {
            if (sim != null) {
                sim.close();
            }
            watchdog.interrupt();
            Runtime.getRuntime().removeShutdownHook(onStop);
        }
        out.println();
        out.println(SideBySideReport.markdown(results));
        Outcome outcome = new Outcome(List.copyOf(results), writeReport(header, results));
        if (options.out() != null) {
            out.println("report written to " + options.out().resolve("report.md"));
        }
        if (outcome.ok()) {
            deleteTree(runDir);
        } else {
            out.println("kept the service logs and storage in " + runDir);
        }
        return outcome;
    }

    /** The report of the engines run so far; also written to {@code --out}, when given. */
    private String writeReport(String header, List<EngineResult> results) throws IOException {
        String report = header.replace("\n", "  \n") + "\n" + SideBySideReport.markdown(results);
        if (options.out() != null) {
            Files.createDirectories(options.out());
            Files.writeString(options.out().resolve("report.md"), report, StandardCharsets.UTF_8);
        }
        return report;
    }

    private String header() {
        var text = new java.io.ByteArrayOutputStream();
        PrintStream h = new PrintStream(text, true, StandardCharsets.UTF_8);
        Machine.printEnvironment(h, "Linkwell side by side with Baileys");
        h.println("node:       " + nodeVersion() + ", baileys " + baileysVersion());
        h.println("service:    java " + String.join(" ", options.serviceJvmOpts()) + " -jar " + options.serviceJar());
        if (!options.serviceEnv().isEmpty()) {
            h.println("service env: " + options.serviceEnv());
        }
        h.println(
                options.placement().simulatorInProcess()
                        ? "simulator:  in the harness's JVM (its CPU is counted with the harness's)"
                        : "simulator:  java " + String.join(" ", options.simulatorJvmOpts()) + " (child JVM)");
        h.println("cores:      service "
                + Objects.requireNonNullElse(options.placement().serviceCpus(), "any") + ", harness "
                + ProcFs.cpusAllowed(ProcessHandle.current().pid()));
        h.println("engines:    " + options.engines() + ", one after the other, each in a service of its own");
        h.println("sizes:      " + options.sizes() + "; PUT to QR over the first " + options.qrSessions()
                + ", " + options.wave() + " at a time; restarts at " + options.restarts() + "; settle "
                + options.settle().toSeconds() + " s, idle CPU window "
                + options.idleWindow().toSeconds() + " s");
        return text.toString(StandardCharsets.UTF_8);
    }

    private void requireInstalled() {
        if (!Files.isRegularFile(options.serviceJar())) {
            throw new IllegalStateException(
                    "no service jar at " + options.serviceJar().toAbsolutePath()
                            + ": build it first (./mvnw -B -Pbench -DskipTests package)");
        }
        if (options.engines().contains("baileys") && baileysVersion().equals("not installed")) {
            throw new IllegalStateException("the Baileys host is not installed in "
                    + options.baileysHostDir().toAbsolutePath() + ": run engines/baileys/install.sh (Node.js 20+)");
        }
    }

    /** The {@code node} on the PATH, as the service starts it; "not found" without one. */
    static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : "not found";
        } catch (IOException e) {
            return "not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not found";
        }
    }

    private String baileysVersion() {
        Path pkg = options.baileysHostDir().resolve("node_modules/baileys/package.json");
        try {
            return new ObjectMapper().readTree(pkg.toFile()).path("version").asText("not installed");
        } catch (IOException e) {
            return "not installed";
        }
    }

    /** Kills the simulator, the service and its host, then halts, 60 s after the overall timeout. */
    private Thread startWatchdog() {
        return Thread.ofVirtual().name("side-by-side-watchdog").start(() -> {
            try {
                Thread.sleep(options.timeout().plusSeconds(60).toMillis());
                System.err.println("FAILED: overall timeout of " + options.timeout() + " (+60 s) exceeded; halting");
                killChildren();
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException finished) {
                // the run ended in time
            }
        });
    }

    /**
     * Kills every process this run started: the simulator, the service (also one still starting, which no field holds
     * yet) and its Node host.
     */
    private static void killChildren() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
