package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.ClassHistogram;
import dev.linkwell.bench.harness.Machine;
import dev.linkwell.bench.harness.ProcFs;
import dev.linkwell.bench.harness.SimulatorHandle;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Takes a {@link Reading} of a service with N idle sessions: first the CPU both processes use over an idle window
 * (before any forced GC, which would count), then heap after GC, RSS and threads of each. With {@code --histogram}
 * it also prints what grew in the service's heap since the previous reading, the service's native memory (when it
 * runs with {@code -XX:NativeMemoryTracking=summary}) and the host's heap by constructor.
 */
final class Measurement {

    /** Node heaps larger than this are not snapshot for the summary: the snapshot would stall the host too long. */
    private static final long MAX_SNAPSHOT_HEAP = 512L * 1024 * 1024;

    private final SimulatorHandle sim;
    private final NodeProbe nodeProbe;
    private final Duration idleWindow;
    private final int histogramLines;
    private final PrintStream out;
    private ClassHistogram lastHistogram;

    Measurement(SimulatorHandle sim, NodeProbe nodeProbe, Duration idleWindow, int histogramLines, PrintStream out) {
        this.sim = sim;
        this.nodeProbe = nodeProbe;
        this.idleWindow = idleWindow;
        this.histogramLines = histogramLines;
        this.out = out;
    }

    NodeProbe nodeProbe() {
        return nodeProbe;
    }

    Reading take(ServiceProcess service, int sessions, Reading.Profile profile, int open)
            throws IOException, InterruptedException {
        String loadBefore = Machine.loadAverage();
        Optional<ProcessHandle> host = service.nodeHost();
        long servicePid = service.pid();
        if (host.isPresent()) {
            nodeProbe.eventLoop(host.get().pid()); // starts a new period: the idle window's
        }
        double serviceCpu0 = ProcFs.cpuSeconds(servicePid);
        double hostCpu0 = host.map(h -> ProcFs.cpuSeconds(h.pid())).orElse(0.0);
        long t0 = System.nanoTime();
        Thread.sleep(idleWindow.toMillis());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double serviceCpu = percent(ProcFs.cpuSeconds(servicePid) - serviceCpu0, seconds);
        double hostCpu = host.map(h -> percent(ProcFs.cpuSeconds(h.pid()) - hostCpu0, seconds))
                .orElse(0.0);
        NodeProbe.EventLoopDelay loop =
                host.isPresent() ? nodeProbe.eventLoop(host.get().pid()) : null;

        JvmProbe jvm = new JvmProbe(servicePid);
        long heap = jvm.heapUsedAfterGc();
        Reading.ProcessReading s = new Reading.ProcessReading(
                ProcFs.rssKiB(servicePid),
                heap,
                0,
                ProcFs.threads(servicePid),
                jvm.liveThreads(),
                serviceCpu,
                ProcFs.cpusAllowed(servicePid));
        Reading.ProcessReading h = null;
        if (host.isPresent()) {
            long pid = host.get().pid();
            NodeProbe.Memory m = nodeProbe.read(pid);
            h = new Reading.ProcessReading(
                    ProcFs.rssKiB(pid),
                    m.heapUsed(),
                    m.external(),
                    ProcFs.threads(pid),
                    -1,
                    hostCpu,
                    ProcFs.cpusAllowed(pid));
            if (histogramLines > 0 && m.heapUsed() < MAX_SNAPSHOT_HEAP) {
                out.printf(
                        "-- Node host heap by constructor at %d sessions (V8 heap committed %.1f MiB) --%n",
                        sessions, m.heapTotal() / 1024.0 / 1024.0);
                out.print(nodeProbe.heapSummary(pid, histogramLines));
            }
        }
        if (histogramLines > 0) {
            ClassHistogram now = jvm.histogram();
            if (lastHistogram != null) {
                now.printGrowth(
                        lastHistogram,
                        histogramLines,
                        "service at " + sessions + " sessions, change since the previous reading",
                        out);
            }
            lastHistogram = now;
            jvm.nativeMemory()
                    .ifPresent(nmt -> out.println("-- service native memory at " + sessions
                            + " sessions (jcmd VM.native_memory summary) --\n" + nmt));
        }
        return new Reading(
                sessions,
                profile,
                open,
                loadBefore,
                Machine.loadAverage(),
                s,
                h,
                sim.rssKiB(),
                jvm.threadsByName(),
                loop);
    }

    /** A new service (after a restart) starts a new series of histograms. */
    void forgetHistogram() {
        lastHistogram = null;
    }

    private static double percent(double cpuSeconds, double wallSeconds) {
        return cpuSeconds < 0 ? -1 : 100.0 * cpuSeconds / wallSeconds;
    }
}
