package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Deadline;
import dev.linkwell.bench.harness.Percentiles;
import dev.linkwell.bench.harness.ProcFs;
import dev.linkwell.bench.harness.SimulatorHandle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One engine's run: a service of its own (fresh storage, the engine as its default provider) started against the
 * shared simulator; the footprint at 0 sessions; sessions paired in waves up to each size, where the footprint is
 * read again once the sessions idled; at each restart size a restart, the time until every session is open again,
 * and the footprint of the restored sessions; then on to the next size.
 *
 * <p>Then, at the largest size, the traffic: the sessions get messages from their contacts and groups
 * ({@link Traffic}), idle, and are read again (the "after traffic" profile); then the inbound throughput ramp
 * ({@link Throughput}). Traffic comes last so that no idle reading holds traffic state.
 */
final class EngineRun {

    /** How long a reading waits for sessions that dropped to be open again. */
    private static final Duration OPEN_WAIT = Duration.ofMinutes(3);
    /** Packages and functions of a host profile printed with the run (the file has them all). */
    private static final int PROFILE_LINES = 12;

    private final String engine;
    private final SideBySideOptions options;
    private final SimulatorHandle sim;
    private final ServiceProcess.Launch launch;
    private final Measurement measurement;
    private final Deadline deadline;
    private final PrintStream out;
    private final List<Reading> readings = new ArrayList<>();
    private final List<EngineResult.PairingStretch> stretches = new ArrayList<>();
    private final List<Restore.Result> restores = new ArrayList<>();
    private final List<String> drops = new ArrayList<>();
    private final String[] devices;
    private Traffic.Result traffic;
    private List<Throughput.Step> throughput = List.of();
    private volatile ServiceProcess service;
    private StatusStream events;
    private Pairing pairing;

    EngineRun(
            String engine,
            SideBySideOptions options,
            SimulatorHandle sim,
            ServiceProcess.Launch launch,
            Measurement measurement,
            Deadline deadline,
            PrintStream out) {
        this.engine = engine;
        this.options = options;
        this.sim = sim;
        this.launch = launch;
        this.measurement = measurement;
        this.deadline = deadline;
        this.out = out;
        this.devices = new String[options.checkpoints().getLast()];
    }

    EngineResult run() {
        long[] qr = new long[options.qrSessions()];
        Duration firstStart = null;
        String error = null;
        int paired = 0;
        try {
            out.println("== " + engine + ": starting the service");
            service = launch.start(deadline);
            firstStart = Duration.ofNanos(System.nanoTime() - service.startedNanos());
            out.printf(
                    "  ready after %.1f s (pid %d, cores %s)%n",
                    firstStart.toMillis() / 1000.0, service.pid(), ProcFs.cpusAllowed(service.pid()));
            events = StatusStream.open(service.api());
            pairing = new Pairing(sim, engine, deadline, out);
            for (int checkpoint : options.checkpoints()) {
                if (checkpoint > paired) {
                    pairStretch(paired, checkpoint, qr);
                    paired = checkpoint;
                }
                if (options.sizes().contains(checkpoint)) {
                    read(checkpoint, Reading.Profile.PAIRED);
                }
                if (options.restarts().contains(checkpoint)) {
                    restart(checkpoint);
                    read(checkpoint, Reading.Profile.RESTORED);
                }
            }
            if (options.trafficSessions() > 0) {
                trafficThenRamp(paired);
            }
            drops.addAll(events.drops());
        } catch (Exception e) {
            error = e.toString();
            out.println("  FAILED: " + e);
            e.printStackTrace(out);
        } finally {
            closeEvents();
            stop();
        }
        long[] sample = Arrays.copyOf(qr, Math.min(qr.length, paired));
        return new EngineResult(
                engine,
                firstStart,
                List.copyOf(readings),
                Percentiles.of(sample),
                pairing == null ? 0 : pairing.lateQr(),
                List.copyOf(stretches),
                List.copyOf(restores),
                List.copyOf(drops),
                traffic,
                throughput,
                error);
    }

    private void pairStretch(int from, int to, long[] qr) throws Exception {
        Optional<ProcessHandle> hostBefore = service.nodeHost();
        if (hostBefore.isPresent()) {
            measurement.nodeProbe().eventLoop(hostBefore.get().pid()); // a new period: this stretch's
        }
        double cpu0 = ProcFs.cpuSeconds(service.pid())
                + hostBefore.map(h -> ProcFs.cpuSeconds(h.pid())).orElse(0.0);
        long t0 = System.nanoTime();
        pairing.pair(service, events, from, to, options.wave(), qr, devices);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        // a host started during the stretch used all its CPU time in it
        Optional<ProcessHandle> host = service.nodeHost();
        double cpu = ProcFs.cpuSeconds(service.pid())
                + host.map(h -> ProcFs.cpuSeconds(h.pid())).orElse(0.0)
                - cpu0;
        NodeProbe.EventLoopDelay loop =
                host.isPresent() ? measurement.nodeProbe().eventLoop(host.get().pid()) : null;
        EngineResult.PairingStretch stretch = new EngineResult.PairingStretch(from, to, took, cpu, loop);
        stretches.add(stretch);
        out.println("  " + SideBySideReport.summary(stretch));
        profileHost("pairing-" + from + "-" + (to - 1));
    }

    /** With {@code --profile-host}: the host's CPU profile since the previous one, saved and summed up. */
    private void profileHost(String step) throws IOException, InterruptedException {
        Optional<ProcessHandle> host = service.nodeHost();
        if (options.profileHost() == null || host.isEmpty()) {
            return;
        }
        Path file = options.profileHost().resolve(engine + "-host-" + step + ".cpuprofile");
        measurement.nodeProbe().takeCpuProfile(host.get().pid(), file);
        out.println("  host CPU profile until the end of " + step + ": " + file);
        out.print(CpuProfileSummary.read(file).render(PROFILE_LINES).indent(4));
    }

    /** The traffic profile and the throughput ramp on the first sessions; {@code sessions} are paired in all. */
    private void trafficThenRamp(int sessions) throws IOException, InterruptedException {
        SideBySideOptions.TrafficOptions t = options.traffic();
        int n = options.trafficSessions();
        Traffic delivery = new Traffic(sim, deadline, out);
        List<Traffic.Sender> senders = delivery.senders(engine, t.contacts(), t.groups(), t.groupSize());
        out.printf(
                "  traffic: %d contacts and %d groups of %d write to each of %d sessions%n",
                t.contacts(), t.groups(), t.groupSize(), n);
        try (MessageStream messages = MessageStream.open(service.api())) {
            profileHost("until-traffic");
            traffic = delivery.deliver(service, messages, devices, n, senders);
            out.println("  " + traffic.summary());
            profileHost("traffic");
            read(sessions, Reading.Profile.AFTER_TRAFFIC);
            List<Traffic.Sender> contacts =
                    senders.stream().filter(s -> s.group() == null).toList();
            throughput = new Throughput(sim, t.step(), out).ramp(service, messages, devices, n, contacts, t.rates());
        }
    }

    private void read(int sessions, Reading.Profile profile) throws IOException, InterruptedException {
        Thread.sleep(options.settle().toMillis());
        options.loadGate()
                .await(
                        "the reading at " + sessions + " sessions, "
                                + profile.name().toLowerCase(Locale.ROOT),
                        out);
        Reading r = measurement.take(service, sessions, profile, awaitOpen(sessions));
        readings.add(r);
        out.println("  " + SideBySideReport.summary(engine, r));
    }

    /**
     * Waits (at most {@link #OPEN_WAIT}) until every paired session is open again, as sessions that dropped reconnect
     * by themselves; returns how many are open, which the reading records.
     */
    private int awaitOpen(int sessions) throws IOException, InterruptedException {
        long until = System.nanoTime()
                + Math.min(OPEN_WAIT.toNanos(), deadline.remaining().toNanos());
        while (true) {
            int open = (int) service.api().statuses().values().stream()
                    .filter("ready"::equals)
                    .count();
            if (open >= sessions || System.nanoTime() > until) {
                if (open < sessions) {
                    out.println("  only " + open + " of " + sessions + " sessions open after " + OPEN_WAIT);
                }
                return open;
            }
            Thread.sleep(1000);
        }
    }

    private void restart(int sessions) throws IOException, InterruptedException {
        drops.addAll(events.drops());
        closeEvents();
        out.println("  restarting the service with " + sessions + " paired sessions");
        Restore.Restarted restarted = new Restore(sim, deadline).restart(service, launch, sessions);
        service = restarted.service();
        restores.add(restarted.result());
        measurement.forgetHistogram();
        out.println("  " + SideBySideReport.summary(restarted.result()));
        events = StatusStream.open(service.api());
    }

    /** Stops the service of this run. */
    private void stop() {
        ServiceProcess s = service;
        service = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                out.println("  stopping the service: " + e.getMessage());
            }
        }
    }

    /** Kills the service and its host at once (the overall-timeout path). */
    void kill() {
        ServiceProcess s = service;
        if (s != null) {
            s.kill();
        }
    }

    private void closeEvents() {
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                // the service is going away anyway
            }
            events = null;
        }
    }
}
