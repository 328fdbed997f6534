package dev.linkwell.protocol.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.proto.StoredSession;
import dev.linkwell.protocol.proto.StoredSessionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * All sessions with one peer device: the open one and the closed ones a late message may still need.
 * A new session (from a bundle or a pre-key message) closes the open one. At most
 * {@link #MAX_SESSIONS} are kept, the oldest closed one dropped first (libsignal-node session_record.js
 * CLOSED_SESSIONS_MAX = 40; libsignal ARCHIVED_STATES_MAX_LENGTH). As in libsignal-node, decrypting
 * with a closed session does not reopen it.
 */
final class SessionRecord {

    static final int MAX_SESSIONS = 40;
    static final int FORMAT_VERSION = 1;

    private SessionState current;
    /** Most recently closed first. */
    private final List<SessionState> previous;

    SessionRecord() {
        this(null, new ArrayList<>());
    }

    private SessionRecord(SessionState current, List<SessionState> previous) {
        this.current = current;
        this.previous = previous;
    }

    SessionState current() {
        return current;
    }

    /** The open session first, then the closed ones, most recently closed first. */
    List<SessionState> sessions() {
        List<SessionState> all = new ArrayList<>(previous.size() + 1);
        if (current != null) {
            all.add(current);
        }
        all.addAll(previous);
        return all;
    }

    /** Replaces the session at {@code index} of {@link #sessions()}. */
    void replace(int index, SessionState state) {
        if (current != null) {
            if (index == 0) {
                current = state;
                return;
            }
            index--;
        }
        previous.set(index, state);
    }

    /** Index in {@link #sessions()} of the session a peer started with this base key, or -1. */
    int indexOfTheirBaseKey(byte[] baseKey) {
        List<SessionState> all = sessions();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).hasBaseKey(baseKey, false)) {
                return i;
            }
        }
        return -1;
    }

    /** Makes {@code state} the open session, closing the one before. */
    void open(SessionState state) {
        if (current != null) {
            previous.add(0, current);
        }
        current = state;
        while (previous.size() > MAX_SESSIONS - 1) {
            previous.remove(previous.size() - 1);
        }
    }

    boolean isEmpty() {
        return current == null && previous.isEmpty();
    }

    byte[] toBytes() {
        StoredSessionRecord.Builder b = StoredSessionRecord.newBuilder().setFormatVersion(FORMAT_VERSION);
        if (current != null) {
            b.setCurrent(current.toStored());
        }
        for (SessionState s : previous) {
            b.addPrevious(s.toStored());
        }
        return b.build().toByteArray();
    }

    static SessionRecord parse(byte[] stored) {
        StoredSessionRecord r;
        try {
            r = StoredSessionRecord.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptStateException("stored session record does not parse", e);
        }
        if (r.getFormatVersion() != FORMAT_VERSION || r.getPreviousCount() > MAX_SESSIONS - 1) {
            throw new CorruptStateException("stored session record has an unknown format or too many sessions");
        }
        List<SessionState> previous = new ArrayList<>();
        for (StoredSession s : r.getPreviousList()) {
            previous.add(SessionState.fromStored(s));
        }
        return new SessionRecord(r.hasCurrent() ? SessionState.fromStored(r.getCurrent()) : null, previous);
    }
}
