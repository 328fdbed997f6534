package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Machine;
import dev.linkwell.bench.harness.Percentiles;
import dev.linkwell.bench.harness.ProcFs;
import dev.linkwell.bench.harness.SimulatorHandle;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Inbound throughput and latency under rising load: at each offered rate, for {@link #length} the contacts' phones
 * send Signal messages (ratchet {@code msg}s: the sessions exist since the traffic profile) to the sessions in turn,
 * on a fixed schedule that does not wait for earlier messages to arrive (open loop), and the harness times each
 * message from the moment it asks the phone to send it to its {@code session.message} on the SSE stream. The ramp
 * stops after the first rate at which latency breaks: p99 over {@link #BREAK_P99}, a message not arrived within
 * {@link #GRACE} of the last send, or the phones not keeping up with the schedule (then the load generator, not the
 * engine, was the limit, and the step says so).
 */
final class Throughput {

    static final Duration BREAK_P99 = Duration.ofSeconds(1);
    static final Duration GRACE = Duration.ofSeconds(15);
    /**
     * Admin API calls in flight at most, below the simulator's admin accept backlog (64: more refuses connections); a
     * send that finds none free goes late, and the achieved rate shows it.
     */
    private static final int IN_FLIGHT = 48;

    /**
     * One rate.
     *
     * @param sentPerSecond sends the phones accepted per second of the step (below the offered rate when they could
     *     not keep up)
     * @param deliveredPerSecond arrivals per second, from the first send to the last arrival
     * @param latency phone send to SSE receipt, over the messages that arrived
     * @param lost messages not arrived within {@link #GRACE} of the last send
     * @param cpuPercent the service and its Node host, percent of one core over the step
     * @param simulatorCpuPercent the simulator (the phones' encryption), percent of one core
     * @param broke why latency broke at this rate, or null
     */
    record Step(
            int rate,
            int sent,
            double sentPerSecond,
            int delivered,
            double deliveredPerSecond,
            Percentiles latency,
            int lost,
            double cpuPercent,
            double simulatorCpuPercent,
            String load,
            String broke) {

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%d/s offered: %d sent (%.0f/s), %d delivered (%.0f/s), latency p50 %.0f ms, p99 %.0f ms, max %.0f"
                            + " ms, %d lost; CPU service %.0f%%, simulator %.0f%%; load %s%s",
                    rate,
                    sent,
                    sentPerSecond,
                    delivered,
                    deliveredPerSecond,
                    latency.millis(0.50),
                    latency.millis(0.99),
                    latency.max() / 1e6,
                    lost,
                    cpuPercent,
                    simulatorCpuPercent,
                    load,
                    broke == null ? "" : "; BROKE: " + broke);
        }
    }

    private final SimulatorHandle sim;
    private final Duration length;
    private final PrintStream out;

    Throughput(SimulatorHandle sim, Duration length, PrintStream out) {
        this.sim = sim;
        this.length = length;
        this.out = out;
    }

    /** Each rate in turn until one breaks (that one included). */
    List<Step> ramp(
            ServiceProcess service,
            MessageStream stream,
            String[] devices,
            int sessions,
            List<Traffic.Sender> contacts,
            List<Integer> rates)
            throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        for (int rate : rates) {
            Step step = step(service, stream, devices, sessions, contacts, rate);
            steps.add(step);
            out.println("  throughput " + step.summary());
            if (step.broke() != null) {
                break;
            }
        }
        return List.copyOf(steps);
    }

    private Step step(
            ServiceProcess service,
            MessageStream stream,
            String[] devices,
            int sessions,
            List<Traffic.Sender> contacts,
            int rate)
            throws InterruptedException {
        int count = (int) Math.max(1, rate * length.toMillis() / 1000);
        String[] ids = new String[count];
        long[] sentAt = new long[count];
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        double cpu0 = Traffic.serviceCpu(service);
        double sim0 = ProcFs.cpuSeconds(sim.cpuPid());
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            int k = i;
            // consecutive messages come from different contacts: each phone encrypts one message at a time
            Traffic.Sender from = contacts.get(k % contacts.size());
            String device = devices[(k / contacts.size()) % sessions];
            Thread.ofVirtual().start(() -> {
                try {
                    sentAt[k] = System.nanoTime();
                    ids[k] = sim.sendMessage(device, from.phoneId(), "load " + rate + " " + k, null);
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e.getMessage());
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(IN_FLIGHT); // every send answered
        inFlight.release(IN_FLIGHT);
        long sendEnd = System.nanoTime();
        List<String> sentIds = Arrays.stream(ids).filter(id -> id != null).toList();
        long graceEnd = sendEnd + GRACE.toNanos();
        while (stream.arrived(sentIds) < sentIds.size() && System.nanoTime() < graceEnd && stream.ended() == null) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = 100 * (Traffic.serviceCpu(service) - cpu0) / seconds;
        double simCpu = 100 * (ProcFs.cpuSeconds(sim.cpuPid()) - sim0) / seconds;
        long[] latencies = new long[count];
        int delivered = 0;
        long lastArrival = start;
        for (int i = 0; i < count; i++) {
            Long at = ids[i] == null ? null : stream.arrivedAt(ids[i]);
            if (at != null) {
                latencies[delivered++] = at - sentAt[i];
                lastArrival = Math.max(lastArrival, at);
            }
        }
        Percentiles latency = Percentiles.of(Arrays.copyOf(latencies, delivered));
        double sendSeconds = (sendEnd - start) / 1e9;
        double sentPerSecond = sentIds.size() / sendSeconds;
        int lost = sentIds.size() - delivered;
        String broke = null;
        if (stream.ended() != null) {
            broke = stream.ended();
        } else if (failed.get() > 0) {
            broke = failed.get() + " sends failed at the simulator, first: " + firstFailure.get();
        } else if (lost > 0) {
            broke = lost + " messages not arrived " + GRACE.toSeconds() + " s after the last send";
        } else if (latency.at(0.99) > BREAK_P99.toNanos()) {
            broke = "p99 over " + BREAK_P99.toMillis() + " ms";
        } else if (sentPerSecond < 0.9 * rate) {
            broke = "the phones sent only " + Math.round(sentPerSecond) + "/s (the load generator's limit)";
        }
        return new Step(
                rate,
                sentIds.size(),
                sentPerSecond,
                delivered,
                delivered / ((lastArrival - start) / 1e9),
                latency,
                lost,
                cpu,
                simCpu,
                Machine.loadAverage().split(" ")[0],
                broke);
    }

    /** The highest rate that did not break, or 0. */
    static int sustained(List<Step> steps) {
        return steps.stream()
                .filter(s -> s.broke() == null)
                .mapToInt(Step::rate)
                .max()
                .orElse(0);
    }
}
