package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Ack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server sent each device and is still owed an {@code <ack>} for. Every stanza a client must
 * ack ({@link Ack#ACKED_TAGS}: the tags whatsmeow acks, receipt.go sendAck and client.go nodeHandlers) is tracked by class and id until the ack comes; what is left
 * is replayed at the device's next login, and a stanza replayed more than
 * {@link SimulatorConfig#maxAckReplays()} times makes the server end the stream instead (whatsapp-rust
 * PRs #633, #648, #1101 describe the real server doing both). In memory: a restarted simulator
 * forgets all but the pending messages it persists anyway.
 */
final class AckTracker {

    private final Map<String, LinkedHashMap<String, Tracked>> byDevice = new ConcurrentHashMap<>();

    private static final class Tracked {
        final Node stanza;
        int replays;

        Tracked(Node stanza) {
            this.stanza = stanza;
        }
    }

    private static String key(String tag, String id) {
        return tag + "/" + id;
    }

    /** Records a stanza sent to the device; replaying the same one keeps its replay count. */
    void sent(String deviceJid, Node stanza) {
        if (!Ack.isOwedFor(stanza)) {
            return;
        }
        LinkedHashMap<String, Tracked> owed = byDevice.computeIfAbsent(deviceJid, k -> new LinkedHashMap<>());
        synchronized (owed) {
            owed.putIfAbsent(key(stanza.tag(), stanza.attr("id")), new Tracked(stanza));
        }
    }

    /** The client acked {@code <ack class id>}; true when something was owed. */
    boolean acked(String deviceJid, String ackClass, String id) {
        LinkedHashMap<String, Tracked> owed = byDevice.get(deviceJid);
        if (owed == null || ackClass == null || id == null) {
            return false;
        }
        synchronized (owed) {
            return owed.remove(key(ackClass, id)) != null;
        }
    }

    /**
     * What a new login of the device must receive again, oldest first, counting this replay; or the
     * first stanza whose replays would exceed {@code maxReplays}, which ends the stream instead.
     */
    Replay replayFor(String deviceJid, int maxReplays) {
        LinkedHashMap<String, Tracked> owed = byDevice.get(deviceJid);
        if (owed == null) {
            return new Replay(List.of(), Optional.empty());
        }
        synchronized (owed) {
            for (Tracked t : owed.values()) {
                if (t.replays >= maxReplays) {
                    return new Replay(List.of(), Optional.of(t.stanza));
                }
            }
            List<Node> again = new ArrayList<>(owed.size());
            for (Tracked t : owed.values()) {
                t.replays++;
                again.add(t.stanza);
            }
            return new Replay(again, Optional.empty());
        }
    }

    /** Nodes still owed an ack by the device, oldest first. */
    List<Node> owed(String deviceJid) {
        LinkedHashMap<String, Tracked> owed = byDevice.get(deviceJid);
        if (owed == null) {
            return List.of();
        }
        synchronized (owed) {
            return owed.values().stream().map(t -> t.stanza).toList();
        }
    }

    void forget(String deviceJid) {
        byDevice.remove(deviceJid);
    }

    /** Stanzas to send again, or the stanza that has been replayed too often (then nothing is replayed). */
    record Replay(List<Node> stanzas, Optional<Node> overdue) {}
}
