package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server received and what happened, kept for tests and the admin API: nodes (per connection and
 * device, each handed out once by {@link #takeNode}) and {@link SimulatorEvent}s. Bounded: the last
 * {@link WaSimulator#MAX_RECORDED} of each, and nodes also within {@link WaSimulator#MAX_RECORDED_BYTES} of
 * frames, so a long-running simulator (demo mode) does not grow without end. Waits are bounded and wake on
 * every new record.
 */
final class Recorder {

    private static final Logger log = LoggerFactory.getLogger(Recorder.class);

    private final InstantSource clock;
    private final ArrayDeque<RecordedNode> nodes = new ArrayDeque<>();
    private final ArrayDeque<Integer> sizes = new ArrayDeque<>();
    private final Set<RecordedNode> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ArrayDeque<SimulatorEvent> events = new ArrayDeque<>();
    private long bytes;

    Recorder(InstantSource clock) {
        this.clock = clock;
    }

    /** Where an event happened, stamped now. */
    SimulatorEvent.Origin origin(long connectionId, String deviceJid) {
        return new SimulatorEvent.Origin(connectionId, deviceJid, clock.instant());
    }

    /** Records a received node; {@code wireSize} (its frame length) counts against the byte budget. */
    synchronized void node(long connectionId, String deviceJid, Node node, int wireSize) {
        nodes.addLast(new RecordedNode(connectionId, deviceJid, node, clock.instant()));
        sizes.addLast(wireSize);
        bytes += wireSize;
        while (nodes.size() > WaSimulator.MAX_RECORDED
                || (bytes > WaSimulator.MAX_RECORDED_BYTES && nodes.size() > 1)) {
            taken.remove(nodes.removeFirst());
            bytes -= sizes.removeFirst();
        }
        notifyAll();
    }

    void event(SimulatorEvent e) {
        log.debug(
                "{} {} {}", e.type(), e.deviceJid() == null ? "" : e.deviceJid(), e.detail() == null ? "" : e.detail());
        synchronized (this) {
            events.addLast(e);
            while (events.size() > WaSimulator.MAX_RECORDED) {
                events.removeFirst();
            }
            notifyAll();
        }
    }

    synchronized List<RecordedNode> nodes() {
        return List.copyOf(nodes);
    }

    synchronized List<SimulatorEvent> events() {
        return List.copyOf(events);
    }

    /**
     * The first node not taken before that matches (from this device; any connection when {@code deviceJid}
     * is null), waiting for it up to {@code timeout}; marks it taken.
     */
    RecordedNode takeNode(String deviceJid, Predicate<RecordedNode> predicate, Duration timeout) {
        return await(
                () -> {
                    for (RecordedNode n : nodes) {
                        if (!taken.contains(n)
                                && (deviceJid == null || deviceJid.equals(n.deviceJid()))
                                && predicate.test(n)) {
                            taken.add(n);
                            return n;
                        }
                    }
                    return null;
                },
                "node",
                timeout);
    }

    /** The first event (past or future) that matches, waiting for it up to {@code timeout}. */
    SimulatorEvent awaitEvent(Predicate<SimulatorEvent> predicate, Duration timeout) {
        return await(() -> events.stream().filter(predicate).findFirst().orElse(null), "event", timeout);
    }

    /**
     * Waits until {@code condition} holds, re-checking it whenever something is recorded; false when it
     * still does not hold after {@code timeout}. The condition must not wait for this recorder itself.
     */
    boolean awaitCondition(BooleanSupplier condition, Duration timeout) {
        try {
            await(() -> condition.getAsBoolean() ? Boolean.TRUE : null, "condition", timeout);
            return true;
        } catch (SimulatorException notInTime) {
            return false;
        }
    }

    /**
     * Runs {@code find} under the monitor until it returns non-null, waiting for new recordings in between.
     *
     * @throws SimulatorException (408) when nothing is found in time
     */
    private synchronized <T> T await(Supplier<T> find, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T found = find.get();
            if (found != null) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SimulatorException(408, "no matching " + what + " within " + timeout);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulatorException(408, "interrupted");
            }
        }
    }
}
