package dev.linkwell.protocol.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.proto.StoredSenderKeyRecord;
import dev.linkwell.protocol.proto.StoredSenderKeyState;
import java.util.ArrayList;
import java.util.List;

/**
 * The sender keys of one {@link SenderKeyName}, newest first, at most {@link #MAX_STATES} (Baileys
 * SenderKeyRecord MAX_STATES = 5, libsignal MAX_SENDER_KEY_STATES).
 */
final class SenderKeyRecord {

    static final int MAX_STATES = 5;
    static final int FORMAT_VERSION = 1;

    private final List<SenderKeyState> states;

    SenderKeyRecord() {
        this(new ArrayList<>());
    }

    private SenderKeyRecord(List<SenderKeyState> states) {
        this.states = states;
    }

    boolean isEmpty() {
        return states.isEmpty();
    }

    SenderKeyState newest() {
        return states.isEmpty() ? null : states.get(0);
    }

    SenderKeyState byId(int keyId) {
        for (SenderKeyState s : states) {
            if (s.keyId == keyId) {
                return s;
            }
        }
        return null;
    }

    /**
     * Adds a received key. The same id with the same signing key is already there: keep it, so a repeated
     * distribution message does not rewind the chain. The same id with another signing key replaces it.
     * (libsignal's SenderKeyRecord::add_sender_key_state; Baileys only appends.)
     */
    void add(SenderKeyState state) {
        SenderKeyState same = byId(state.keyId);
        if (same != null && same.sameSigningKey(state.signingPublic)) {
            return;
        }
        states.removeIf(s -> s.keyId == state.keyId);
        states.add(0, state);
        while (states.size() > MAX_STATES) {
            states.remove(states.size() - 1);
        }
    }

    /** Our own key: the only state of the record. */
    void replaceAll(SenderKeyState state) {
        states.clear();
        states.add(state);
    }

    byte[] toBytes() {
        StoredSenderKeyRecord.Builder b = StoredSenderKeyRecord.newBuilder().setFormatVersion(FORMAT_VERSION);
        for (SenderKeyState s : states) {
            b.addStates(s.toStored());
        }
        return b.build().toByteArray();
    }

    static SenderKeyRecord parse(byte[] stored) {
        StoredSenderKeyRecord r;
        try {
            r = StoredSenderKeyRecord.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptStateException("stored sender key record does not parse", e);
        }
        if (r.getFormatVersion() != FORMAT_VERSION || r.getStatesCount() > MAX_STATES) {
            throw new CorruptStateException("stored sender key record has an unknown format or too many keys");
        }
        List<SenderKeyState> states = new ArrayList<>();
        for (StoredSenderKeyState s : r.getStatesList()) {
            states.add(SenderKeyState.fromStored(s));
        }
        return new SenderKeyRecord(states);
    }
}
