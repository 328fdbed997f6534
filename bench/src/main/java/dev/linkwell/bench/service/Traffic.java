package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Deadline;
import dev.linkwell.bench.harness.Machine;
import dev.linkwell.bench.harness.Parallel;
import dev.linkwell.bench.harness.ProcFs;
import dev.linkwell.bench.harness.SimulatorHandle;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "after traffic" profile of issue 14: every session receives one Signal-encrypted message from each of its
 * contacts (a one-to-one pkmsg, so a Signal session per contact) and one from each member of each of its groups (a
 * sender key distribution in a pkmsg, then the skmsg, so a Signal session and a sender key per member), and the
 * harness waits until every message arrived as {@code session.message} on the event stream. The phones are the
 * simulator's: they encrypt with their own Signal side, as WhatsApp phones do. Contacts and groups are the same
 * phones for every session of an engine (every session talks to the same people), distinct from the other
 * engine's.
 */
final class Traffic {

    /** Sends in flight at once; different senders side by side, since each phone encrypts one message at a time. */
    private static final int PARALLEL = 32;
    /**
     * Messages sent and not yet arrived, at most: the phones encrypt faster than Baileys decrypts, and an unbounded
     * backlog measures the backlog (it took the Baileys host past its 4 GB heap at 500 sessions), not what the
     * sessions keep. Far above what the native engine has in flight at its pace, so it does not slow it.
     */
    static final int IN_FLIGHT = 400;
    /** A delivery fails when no message arrived for this long. */
    private static final Duration STALL = Duration.ofSeconds(90);

    /** A phone that writes to every session: one to one ({@code group} null) or as a member of {@code group}. */
    record Sender(String phoneId, String group) {}

    /**
     * One delivery.
     *
     * @param cpuSeconds CPU time of the service and its Node host meanwhile
     * @param simulatorCpuSeconds CPU time of the simulator (the phones' encryption) meanwhile
     */
    record Result(
            int sessions,
            int messages,
            int undecryptable,
            Duration took,
            double cpuSeconds,
            double simulatorCpuSeconds,
            String loadBefore,
            String loadAfter) {

        double perSecond() {
            return messages / (took.toNanos() / 1e9);
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "traffic: %d messages to %d sessions (%d per session) delivered in %.1f s (%.0f per second, %.2f ms"
                            + " of service CPU and %.2f ms of simulator CPU per message%s); load %s",
                    messages,
                    sessions,
                    sessions == 0 ? 0 : messages / sessions,
                    took.toMillis() / 1000.0,
                    perSecond(),
                    cpuSeconds * 1000 / Math.max(1, messages),
                    simulatorCpuSeconds * 1000 / Math.max(1, messages),
                    undecryptable == 0 ? "" : ", " + undecryptable + " UNDECRYPTABLE",
                    loadAfter);
        }
    }

    private final SimulatorHandle sim;
    private final Deadline deadline;
    private final PrintStream out;

    Traffic(SimulatorHandle sim, Deadline deadline, PrintStream out) {
        this.sim = sim;
        this.deadline = deadline;
        this.out = out;
    }

    /** The engine's contacts and group members, as phones in the simulator. */
    List<Sender> senders(String engine, int contacts, int groups, int groupSize) {
        int engineDigit = SideBySideOptions.ENGINES.indexOf(engine) + 1;
        List<Sender> senders = new ArrayList<>();
        for (int c = 0; c < contacts; c++) {
            senders.add(new Sender(sim.addPhone(number(engineDigit, c)), null));
        }
        for (int g = 0; g < groups; g++) {
            String group = String.format(Locale.ROOT, "1203630000%d%05d@g.us", engineDigit, g);
            for (int m = 0; m < groupSize; m++) {
                senders.add(new Sender(sim.addPhone(number(engineDigit, contacts + g * groupSize + m)), group));
            }
        }
        return List.copyOf(senders);
    }

    /** A number of its own per sender (the sessions' own phones are 55...). */
    private static String number(int engineDigit, int i) {
        return String.format(Locale.ROOT, "56%d%09d", engineDigit, i);
    }

    /** Every sender writes once to each of the first {@code sessions} devices; returns once every message arrived. */
    Result deliver(ServiceProcess service, MessageStream stream, String[] devices, int sessions, List<Sender> senders)
            throws InterruptedException {
        String loadBefore = Machine.loadAverage();
        double cpu0 = serviceCpu(service);
        double sim0 = ProcFs.cpuSeconds(sim.cpuPid());
        long t0 = System.nanoTime();
        Queue<String> ids = new ConcurrentLinkedQueue<>();
        int perSession = senders.size();
        int arrivedBefore = stream.count();
        AtomicInteger sent = new AtomicInteger();
        // consecutive sends go to different sessions and different senders: an engine handles one session's
        // messages in order, and each phone encrypts one message at a time; (d, (round + d) mod senders) visits
        // every pair once
        Parallel.forEach("traffic", 0, sessions * perSession, PARALLEL, deadline, out, k -> {
            awaitRoom(stream, sent, arrivedBefore);
            sent.incrementAndGet();
            int d = k % sessions;
            Sender s = senders.get((k / sessions + d) % perSession);
            String device = devices[d];
            ids.add(sim.sendMessage(device, s.phoneId(), "bench " + k, s.group()));
        });
        List<String> all = List.copyOf(ids);
        awaitArrival(stream, all);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new Result(
                sessions,
                all.size(),
                stream.undecryptable(),
                took,
                serviceCpu(service) - cpu0,
                ProcFs.cpuSeconds(sim.cpuPid()) - sim0,
                loadBefore,
                Machine.loadAverage());
    }

    /** Waits until fewer than {@link #IN_FLIGHT} sent messages are still on their way; fails on a stall. */
    private void awaitRoom(MessageStream stream, AtomicInteger sent, int arrivedBefore) throws InterruptedException {
        long since = System.nanoTime();
        int seen = stream.count();
        while (sent.get() - (stream.count() - arrivedBefore) >= IN_FLIGHT) {
            if (stream.ended() != null) {
                throw new IllegalStateException("traffic: " + stream.ended());
            }
            if (stream.count() != seen) {
                seen = stream.count();
                since = System.nanoTime();
            } else if (System.nanoTime() - since > STALL.toNanos()
                    || deadline.remaining().isZero()) {
                throw new IllegalStateException(
                        "traffic: " + IN_FLIGHT + " messages on their way and none arrived for " + STALL);
            }
            Thread.sleep(5);
        }
    }

    private void awaitArrival(MessageStream stream, List<String> ids) throws InterruptedException {
        int last = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            int arrived = stream.arrived(ids);
            if (arrived == ids.size()) {
                return;
            }
            if (stream.ended() != null) {
                throw new IllegalStateException("traffic: " + stream.ended() + " after " + arrived + " messages");
            }
            long now = System.nanoTime();
            if (arrived != last) {
                last = arrived;
                lastProgress = now;
            } else if (now - lastProgress > STALL.toNanos()
                    || deadline.remaining().isZero()) {
                throw new IllegalStateException(
                        "traffic: only " + arrived + " of " + ids.size() + " messages arrived; none for " + STALL);
            }
            Thread.sleep(200);
        }
    }

    /** CPU seconds of the service and its Node host so far. */
    static double serviceCpu(ServiceProcess service) {
        return ProcFs.cpuSeconds(service.pid())
                + service.nodeHost().map(h -> ProcFs.cpuSeconds(h.pid())).orElse(0.0);
    }
}
