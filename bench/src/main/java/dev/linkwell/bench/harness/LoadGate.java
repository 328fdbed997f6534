package dev.linkwell.bench.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Holds a measurement back while the machine is busy with other work (the 1-minute load average at or above
 * {@code maxLoad}), for at most {@code maxWait}; then measures anyway, and says so. The load average counts this run's
 * own processes too, so the wait also lets the previous step's work die down.
 */
public record LoadGate(double maxLoad, Duration maxWait) {

    /** No waiting (the smoke test). */
    public static final LoadGate NONE = new LoadGate(Double.MAX_VALUE, Duration.ZERO);

    public void await(String what, PrintStream out) throws InterruptedException {
        long until = System.nanoTime() + maxWait.toNanos();
        double load = Machine.load1();
        if (load < maxLoad) {
            return;
        }
        long t0 = System.nanoTime();
        while (load >= maxLoad && System.nanoTime() < until) {
            Thread.sleep(5000);
            load = Machine.load1();
        }
        out.printf(
                Locale.ROOT,
                "  waited %.0f s for the load to fall below %.1f before %s: %s%n",
                (System.nanoTime() - t0) / 1e9,
                maxLoad,
                what,
                load < maxLoad ? "now " + load : "still " + load + ", measuring anyway");
    }
}
