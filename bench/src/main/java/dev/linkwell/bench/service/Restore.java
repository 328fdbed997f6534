package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Deadline;
import dev.linkwell.bench.harness.Machine;
import dev.linkwell.bench.harness.SimulatorHandle;
import dev.linkwell.simulator.ConnectionAttempts;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Restarts a service with N paired sessions, as an operator does (SIGTERM, then the same command again), and times
 * how long until all N are open again, polling {@code GET /sessions}; then reads from the simulator how many
 * connection attempts it saw per second meanwhile (a storm would show as one tall second).
 */
final class Restore {

    /**
     * How often {@code GET /sessions} is read while sessions come back: the resolution of the figure; less often with
     * thousands of sessions, whose list costs the service more to write.
     */
    static Duration poll(int sessions) {
        return Duration.ofMillis(sessions > 1000 ? 500 : 200);
    }

    private final SimulatorHandle sim;
    private final Deadline deadline;

    Restore(SimulatorHandle sim, Deadline deadline) {
        this.sim = sim;
        this.deadline = deadline;
    }

    /**
     * @param sessions the paired sessions the service holds
     * @param untilReady from starting the new process to its readiness probe answering 200
     * @param untilAllOpen from starting the new process to every session being {@code ready} in {@code GET /sessions}
     * @param attempts WebSocket upgrade requests the simulator saw from the restart to the last session open
     * @param peakPerSecond the most of them in one second
     */
    record Result(
            int sessions,
            Duration untilReady,
            Duration untilAllOpen,
            long attempts,
            int peakPerSecond,
            String loadBefore,
            String loadAfter) {}

    /** Stops {@code old}, starts it again with the same launch, and returns the new process and the figures. */
    Restarted restart(ServiceProcess old, ServiceProcess.Launch launch, int sessions)
            throws IOException, InterruptedException {
        String loadBefore = Machine.loadAverage();
        old.close();
        Instant restartedAt = Instant.now();
        ServiceProcess fresh = launch.start(deadline);
        Duration untilReady = Duration.ofNanos(System.nanoTime() - fresh.startedNanos());
        long until = System.nanoTime() + deadline.remaining().toNanos();
        while (true) {
            Map<String, String> statuses = fresh.api().statuses();
            long open = statuses.values().stream().filter("ready"::equals).count();
            if (open == sessions) {
                break;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException(
                        "restore: only " + open + " of " + sessions + " sessions open before the overall timeout");
            }
            Thread.sleep(poll(sessions).toMillis());
        }
        Duration untilAllOpen = Duration.ofNanos(System.nanoTime() - fresh.startedNanos());
        Instant allOpenAt = Instant.now();
        ConnectionAttempts.Snapshot seen = sim.connectionAttempts();
        long attempts = 0;
        int peak = 0;
        for (ConnectionAttempts.Second s : seen.perSecond()) {
            Instant end = s.start().plusSeconds(1);
            if (end.isAfter(restartedAt) && !s.start().isAfter(allOpenAt)) {
                attempts += s.count();
                peak = Math.max(peak, s.count());
            }
        }
        return new Restarted(
                fresh,
                new Result(sessions, untilReady, untilAllOpen, attempts, peak, loadBefore, Machine.loadAverage()));
    }

    /** The service after the restart, and what the restart took. */
    record Restarted(ServiceProcess service, Result result) {}
}
