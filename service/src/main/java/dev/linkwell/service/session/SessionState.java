package dev.linkwell.service.session;

import dev.linkwell.service.storage.StoredSession;
import java.time.Instant;

/**
 * Everything one session is at one instant; immutable, replaced whole by each decision, so a reader never sees
 * half a change and never needs the session's lock.
 *
 * @param stored what {@code session.json} holds (or, after a failed write, what it still holds)
 * @param reason why it last closed or is reconnecting, or {@code null}
 * @param stopDetail what the engine said when the session last stopped on its own, for an error answer
 * @param attempt reconnect attempts since the last open
 * @param socket the socket whose reports count (live while {@code connection} is not {@code close}; after a drop,
 *               the one a planned reconnect replaces; while closed, one that is closing and whose last messages
 *               still count: {@link #drains}), or {@code null}
 * @param listed whether the API shows it: false for a session whose first start could not even be stored
 * @param purgePending whether its credentials must still be deleted (a logout whose purge failed) before any use
 */
record SessionState(
        StoredSession stored,
        SessionStatus status,
        ConnectionState connection,
        String reason,
        String qr,
        String pairingCode,
        String stopDetail,
        Instant updatedAt,
        int attempt,
        SocketToken socket,
        boolean listed,
        boolean purgePending) {

    /** A session known from storage, or asked for by a PUT that has not stored it yet ({@code listed} false). */
    static SessionState known(StoredSession stored, boolean listed) {
        return new SessionState(
                stored,
                SessionStatus.CLOSED,
                ConnectionState.CLOSE,
                null,
                null,
                null,
                null,
                stored.updatedAt(),
                0,
                null,
                listed,
                false);
    }

    boolean isActive() {
        return status == SessionStatus.STARTING || status == SessionStatus.READY;
    }

    /** Whether a waiting {@code PUT} has something to answer with. */
    boolean hasSettled() {
        return status != SessionStatus.STARTING || qr != null || pairingCode != null;
    }

    /** Whether reports of this socket count: it is the session's socket and has not dropped. */
    boolean isLive(SocketToken token) {
        return token != null && socket == token && connection != ConnectionState.CLOSE;
    }

    /**
     * Whether {@code token} is an open socket this session asked to close (shutdown, handover) that has not reported
     * its end yet: what it received until then was acknowledged to the server, so it is still published.
     */
    boolean drains(SocketToken token) {
        return token != null && socket == token && status == SessionStatus.CLOSED;
    }

    boolean draining() {
        return socket != null && status == SessionStatus.CLOSED;
    }

    /** Opening {@code token}: no QR yet. */
    SessionState opening(StoredSession stored, SocketToken token, int attempt, String stopDetail, Instant now) {
        return new SessionState(
                stored,
                SessionStatus.STARTING,
                ConnectionState.CONNECTING,
                reason,
                null,
                null,
                stopDetail,
                now,
                attempt,
                token,
                true,
                false);
    }

    SessionState showing(String qr, String pairingCode, Instant now) {
        return new SessionState(
                stored,
                SessionStatus.STARTING,
                ConnectionState.CONNECTING,
                null,
                qr,
                pairingCode,
                stopDetail,
                now,
                attempt,
                socket,
                listed,
                purgePending);
    }

    SessionState open(Instant now) {
        return new SessionState(
                stored,
                SessionStatus.READY,
                ConnectionState.OPEN,
                null,
                null,
                null,
                stopDetail,
                now,
                0,
                socket,
                listed,
                purgePending);
    }

    /** Dropped; {@code socket} stays as the ticket of the reconnect that follows. */
    SessionState reconnecting(String reason, int attempt, Instant now) {
        return new SessionState(
                stored,
                SessionStatus.STARTING,
                ConnectionState.CLOSE,
                reason,
                null,
                null,
                stopDetail,
                now,
                attempt,
                socket,
                listed,
                purgePending);
    }

    /** Closed, for {@code reason}, while the open socket closes and its last messages are published. */
    SessionState closing(String reason, Instant now) {
        return new SessionState(
                stored,
                SessionStatus.CLOSED,
                ConnectionState.CLOSE,
                reason,
                null,
                null,
                stopDetail,
                now,
                attempt,
                socket,
                listed,
                purgePending);
    }

    SessionState closed(StoredSession stored, String reason, String stopDetail, boolean purgePending, Instant now) {
        return new SessionState(
                stored,
                SessionStatus.CLOSED,
                ConnectionState.CLOSE,
                reason,
                null,
                null,
                stopDetail,
                now,
                attempt,
                null,
                true,
                purgePending);
    }

    SessionState removed(String reason, Instant now) {
        return new SessionState(
                stored,
                SessionStatus.REMOVED,
                ConnectionState.CLOSE,
                reason,
                null,
                null,
                null,
                now,
                0,
                null,
                true,
                false);
    }

    SessionState withStored(StoredSession replacement) {
        return new SessionState(
                replacement,
                status,
                connection,
                reason,
                qr,
                pairingCode,
                stopDetail,
                updatedAt,
                attempt,
                socket,
                listed,
                purgePending);
    }

    SessionView view(String id) {
        return new SessionView(
                id,
                status,
                connection,
                stored.provider(),
                qr,
                pairingCode,
                reason,
                updatedAt,
                stored.webhooks().stream().map(SessionView.Webhook::of).toList());
    }
}
