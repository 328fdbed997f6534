package dev.linkwell.service.session;

import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.storage.StoredSession;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * Mutable state of one session. Every field is guarded by the object's monitor, which is also the
 * per-session lock that serializes API calls and engine callbacks.
 */
final class ManagedSession {

    final String id;
    /** Written under the monitor; volatile so event subscribers can read the webhooks without taking it. */
    volatile StoredSession stored;
    SessionStatus status = SessionStatus.CLOSED;
    ConnectionState connection = ConnectionState.CLOSE;
    String qr;
    String pairingCode;
    String reason;
    /** What the engine said when this session last stopped on its own (for an error answer), or null. */
    String stopDetail;
    Instant updatedAt;
    EngineSession socket;
    /** Bumped whenever the current socket is abandoned, so callbacks of older sockets are ignored. */
    int generation;
    int attempt;
    ScheduledFuture<?> pendingReconnect;

    ManagedSession(StoredSession stored) {
        this.id = stored.sessionId();
        this.stored = stored;
        this.updatedAt = stored.updatedAt();
    }

    boolean isActive() {
        return status == SessionStatus.STARTING || status == SessionStatus.READY;
    }

    /** Whether a waiting {@code PUT} has something to answer with. */
    boolean hasSettled() {
        return status != SessionStatus.STARTING || qr != null || pairingCode != null;
    }

    void cancelPendingReconnect() {
        if (pendingReconnect != null) {
            pendingReconnect.cancel(false);
            pendingReconnect = null;
        }
    }

    SessionView view() {
        return new SessionView(id, status, connection, stored.provider(), qr, pairingCode, reason, updatedAt,
            stored.webhooks().stream().map(SessionView.Webhook::of).toList());
    }
}
