package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.signal.PreKeySignalMessage;
import dev.linkwell.protocol.signal.SignalMessage;
import dev.linkwell.protocol.stanza.Enc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivery faults a test asks for, per device, applied to what phones send it ({@link PhoneSender}); in memory
 * only. Corruption changes the stanza the server keeps (the MAC or signature of its last payload), so the device
 * cannot decrypt it however often it comes. Reordering and doubling change only the live delivery; the stored stanzas keep their order.
 */
final class DeliveryFaults {

    private static final class Knobs {
        int corrupt;
        int twice;
        int reversed;
        final List<Node> held = new ArrayList<>();
    }

    private final Map<String, Knobs> byDevice = new HashMap<>();

    /** The next {@code count} messages to the device arrive with a corrupted payload. */
    synchronized void corruptNext(String deviceJid, int count) {
        knobs(deviceJid).corrupt = count;
    }

    /** The next {@code count} messages to the device are held until the last of them, then sent newest first. */
    synchronized void reverseNext(String deviceJid, int count) {
        Knobs k = knobs(deviceJid);
        k.reversed = count;
        k.held.clear();
    }

    /** The next {@code count} messages to the device are each sent twice. */
    synchronized void doubleNext(String deviceJid, int count) {
        knobs(deviceJid).twice = count;
    }

    /** The payloads as the server will keep them. */
    synchronized List<Enc> corruptIfAsked(String deviceJid, List<Enc> payloads) {
        Knobs k = byDevice.get(deviceJid);
        if (k == null || k.corrupt == 0 || payloads.isEmpty()) {
            return payloads;
        }
        k.corrupt--;
        List<Enc> out = new ArrayList<>(payloads);
        Enc last = out.removeLast();
        out.add(new Enc(last.type(), last.version(), last.count(), last.mediaType(), corrupt(last)));
        return out;
    }

    /**
     * The payload with its last byte flipped: the MAC of a {@code msg}, the signature of an {@code skmsg}; for a
     * {@code pkmsg} the MAC of the message inside (its own last byte is a prekey id, which a session the sender
     * already started does not look at).
     */
    private static byte[] corrupt(Enc payload) {
        if (!"pkmsg".equals(payload.type())) {
            return flipLast(payload.body());
        }
        PreKeySignalMessage outer = PreKeySignalMessage.parse(payload.body());
        SignalMessage inner = SignalMessage.parse(flipLast(outer.message().serialize()));
        return PreKeySignalMessage.create(
                        outer.registrationId(),
                        outer.preKeyId(),
                        outer.signedPreKeyId(),
                        outer.baseKey(),
                        outer.identityKey(),
                        inner)
                .serialize();
    }

    private static byte[] flipLast(byte[] bytes) {
        bytes[bytes.length - 1] ^= 0x01;
        return bytes;
    }

    /** What to send the device now for a new stanza: the stanza, twice, nothing yet, or a held batch reversed. */
    synchronized List<Node> schedule(String deviceJid, Node stanza) {
        Knobs k = byDevice.get(deviceJid);
        if (k == null) {
            return List.of(stanza);
        }
        List<Node> now = new ArrayList<>();
        if (k.reversed > 0) {
            k.held.add(stanza);
            if (k.held.size() < k.reversed) {
                return List.of();
            }
            now.addAll(k.held.reversed());
            k.held.clear();
            k.reversed = 0;
        } else {
            now.add(stanza);
        }
        if (k.twice > 0) {
            k.twice--;
            now.add(now.getLast());
        }
        return now;
    }

    private Knobs knobs(String deviceJid) {
        return byDevice.computeIfAbsent(deviceJid, j -> new Knobs());
    }
}
