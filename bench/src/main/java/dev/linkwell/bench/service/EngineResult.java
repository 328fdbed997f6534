package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Percentiles;
import java.time.Duration;
import java.util.List;

/**
 * What one engine's run measured.
 *
 * @param firstStart from starting the service's process to its readiness probe answering, at the first start
 * @param readings the footprint at each size (and again after each restart), in the order taken
 * @param putToQr {@code PUT /sessions/{id}} to its answer with the QR (or to the QR event, see {@code lateQr}), for
 *     the first sessions paired
 * @param lateQr PUTs that answered without a QR because the service's start wait (20 s) ran out first
 * @param pairing each stretch of pairing (waves of sessions, from one checkpoint to the next)
 * @param restores each restart with paired sessions
 * @param drops sessions that left {@code open} while nobody asked them to (should be none)
 * @param traffic the delivery of the after-traffic profile, or null when there was none
 * @param throughput each rate of the inbound throughput ramp, in order (the last one broke, unless the ramp ran out)
 * @param error why the run stopped early, or null
 */
record EngineResult(
        String engine,
        Duration firstStart,
        List<Reading> readings,
        Percentiles putToQr,
        int lateQr,
        List<PairingStretch> pairing,
        List<Restore.Result> restores,
        List<String> drops,
        Traffic.Result traffic,
        List<Throughput.Step> throughput,
        String error) {

    /**
     * Sessions {@code from} to {@code to - 1} were paired and opened in {@code took}.
     *
     * @param cpuSeconds CPU time the service and its host used meanwhile
     * @param hostEventLoop how late the host's event loop ran meanwhile, or null without a host
     */
    record PairingStretch(int from, int to, Duration took, double cpuSeconds, NodeProbe.EventLoopDelay hostEventLoop) {
        double perSecond() {
            return (to - from) / (took.toNanos() / 1e9);
        }

        double cpuMillisPerSession() {
            return cpuSeconds * 1000 / (to - from);
        }
    }

    boolean ok() {
        return error == null && drops.isEmpty() && (traffic == null || traffic.undecryptable() == 0);
    }
}
