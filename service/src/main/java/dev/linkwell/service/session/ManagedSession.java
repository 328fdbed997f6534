package dev.linkwell.service.session;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.session.Decision.Disown;
import dev.linkwell.service.session.Decision.Enter;
import dev.linkwell.service.session.Decision.Forget;
import dev.linkwell.service.session.Decision.Open;
import dev.linkwell.service.session.Decision.Publish;
import dev.linkwell.service.session.Decision.Purge;
import dev.linkwell.service.session.Decision.Reconnect;
import dev.linkwell.service.session.Decision.Release;
import dev.linkwell.service.session.Decision.Save;
import dev.linkwell.service.session.Decision.Step;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.storage.StoredWebhook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One session as a state machine. Each method looks at the current {@link SessionState} and returns a
 * {@link Decision}: the state to enter and what to store, publish, open, close and schedule, in order. It changes
 * nothing itself; {@link DecisionRunner} carries the decision out while holding {@link #lock()}, which keeps one
 * session's decisions and their effects in order. The state is readable at any time without the lock.
 */
final class ManagedSession {

    static final String PURGE_FAILED = "purge_failed";
    /** Why a session closed on a node that no longer holds its lease. */
    static final String MOVED = "moved";
    /** Why a session closed on a node that gave it to another (rebalancing). */
    static final String HANDED_OVER = "handed_over";

    static final String SHUTDOWN = "shutdown";

    final String id;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile SessionState state;
    /** Guarded by this object's monitor. */
    private ScheduledFuture<?> pendingReconnect;

    ManagedSession(String id, SessionState state) {
        this.id = id;
        this.state = state;
    }

    ReentrantLock lock() {
        return lock;
    }

    SessionState state() {
        return state;
    }

    SessionView view() {
        return state.view(id);
    }

    /**
     * Enters a decided state and wakes whoever waits for the session to settle. A planned reconnect belongs to the
     * socket it replaces: once the state names another (closed, removed, started anew), it is cancelled.
     */
    synchronized void enter(SessionState next) {
        if (next.socket() != state.socket()) {
            cancelPlannedReconnect();
        }
        state = next;
        notifyAll();
    }

    /** Waits until the session no longer drains a closing socket, or {@code deadlineNanos} ({@link System#nanoTime()}). */
    synchronized void awaitDrained(long deadlineNanos) {
        awaitUntil(() -> !state.draining(), deadlineNanos);
    }

    /** Waits at most {@code wait} until a PUT has something to answer with. */
    synchronized SessionView awaitSettled(Duration wait) {
        awaitUntil(() -> state.hasSettled(), System.nanoTime() + wait.toNanos());
        return view();
    }

    /** Under this monitor: waits until {@code done} holds (each {@link #enter} wakes it) or the deadline passed. */
    private void awaitUntil(BooleanSupplier done, long deadlineNanos) {
        while (!done.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Keeps the future of a planned reconnect, so that leaving its socket behind cancels it. Under {@link #lock}. */
    synchronized void planned(ScheduledFuture<?> reconnect) {
        cancelPlannedReconnect();
        pendingReconnect = reconnect;
    }

    synchronized void cancelPlannedReconnect() {
        if (pendingReconnect != null) {
            pendingReconnect.cancel(false);
            pendingReconnect = null;
        }
    }

    // ---- requests

    /**
     * {@code PUT}: a running session keeps running (its webhooks replaced when given); any other starts with
     * {@code wanted}, keeping its stored webhooks when none are given, unless it was removed.
     *
     * @throws SessionException CONFLICT when it runs on another provider than the one named
     */
    Decision ensure(StoredSession wanted, boolean providerNamed, boolean webhooksGiven, Instant now) {
        SessionState current = state;
        if (current.isActive()) {
            if (providerNamed && !wanted.provider().equals(current.stored().provider())) {
                throw new SessionException(
                        SessionException.Kind.CONFLICT,
                        "Session already running",
                        "session '" + id + "' runs on provider '"
                                + current.stored().provider() + "'; close it first");
            }
            if (!webhooksGiven || wanted.webhooks().equals(current.stored().webhooks())) {
                return Decision.NONE;
            }
            StoredSession replaced = current.stored().withWebhooks(wanted.webhooks(), now);
            return Decision.of(new Save(replaced), new Enter(current.withStored(replaced)));
        }
        StoredSession stored = webhooksGiven || current.status() == SessionStatus.REMOVED
                ? wanted
                : wanted.withWebhooks(current.stored().webhooks(), now);
        SocketToken token = new SocketToken(stored.provider());
        List<Step> steps = new ArrayList<>();
        if (current.purgePending()) {
            steps.add(new Purge());
        }
        steps.add(new Save(stored));
        steps.addAll(opening(current.opening(stored, token, 0, null, now)));
        Decision start = new Decision(steps, List.of());
        // A session nobody could store does not exist: a later GET is 404, not a phantom.
        return current.listed() ? start : start.orIfWriteFails(new Forget(), new Disown());
    }

    /** Boot restore: starts a stored session that should run, as it is stored. */
    Decision resume(Instant now) {
        SessionState current = state;
        if (current.isActive()) {
            return Decision.NONE;
        }
        SocketToken token = new SocketToken(current.stored().provider());
        return new Decision(opening(current.opening(current.stored(), token, current.attempt(), null, now)), List.of());
    }

    /** A planned reconnect is due: opens a new socket unless anything happened since it was planned. */
    Decision reconnect(SocketToken plannedFor, Instant now) {
        SessionState current = state;
        if (current.socket() != plannedFor
                || current.connection() != ConnectionState.CLOSE
                || current.status() != SessionStatus.STARTING) {
            return Decision.NONE;
        }
        SocketToken token = new SocketToken(current.stored().provider());
        return new Decision(
                opening(current.opening(current.stored(), token, current.attempt(), current.stopDetail(), now)),
                List.of());
    }

    private static List<Step> opening(SessionState next) {
        return List.of(
                new Enter(next),
                new Publish(new EventData.Starting(next.socket().provider())),
                new Open(next.socket()));
    }

    /**
     * {@code DELETE}: closes the socket and keeps the credentials; not restored on boot. When the storage refuses
     * that, nothing changes: the session keeps running and says so.
     */
    Decision close(Instant now) {
        SessionState current = state;
        StoredSession stopped = current.stored().withDesiredRunning(false, now);
        if (current.status() == SessionStatus.REMOVED) {
            return Decision.NONE;
        }
        if (!current.isActive()) {
            // Already down (start_failed, a server's stop whose write failed): it may still be marked for restore.
            return current.stored().desiredRunning()
                    ? Decision.of(new Save(stopped), new Enter(current.withStored(stopped)))
                    : Decision.NONE;
        }
        return Decision.of(
                new Save(stopped),
                new Enter(current.closed(stopped, "user", null, false, now)),
                new Publish(EventData.Closed.by("user")),
                new Release(current.socket(), false));
    }

    /**
     * {@code DELETE .../storage}: logs the device out and purges. When the purge fails the device is logged out
     * all the same, and the session says {@code closed}, {@code purge_failed}, until a later purge succeeds.
     */
    Decision remove(Instant now) {
        SessionState current = state;
        if (current.status() == SessionStatus.REMOVED) {
            return Decision.NONE;
        }
        StoredSession stopped = current.stored().withDesiredRunning(false, now);
        List<Step> steps = new ArrayList<>();
        if (current.socket() != null) {
            // Closed first, so what the socket reports while logging out is ignored.
            steps.add(new Enter(current.closed(stopped, "user", null, false, now)));
            steps.add(new Release(current.socket(), true));
        }
        steps.add(new Purge());
        steps.add(new Enter(current.removed("user", now)));
        steps.add(new Publish(EventData.Removed.by("user")));
        return new Decision(steps, List.of()).orIfWriteFails(purgeFailed(current, "logged out by the user", now));
    }

    /**
     * Shutdown: closes the socket and keeps what is stored, so the next boot (or another node) restores the session.
     * An open socket drains: the messages it took until it reports its end are still published ({@link #drained}).
     * Any other socket is detached first, so what it reports changes nothing.
     */
    Decision shutdown(Instant now) {
        SessionState current = state;
        if (current.socket() == null || current.draining()) {
            return Decision.NONE;
        }
        if (current.connection() == ConnectionState.OPEN) {
            return Decision.of(new Enter(current.closing(SHUTDOWN, now)), new Release(current.socket(), false));
        }
        return Decision.of(
                new Enter(
                        current.closed(current.stored(), SHUTDOWN, current.stopDetail(), current.purgePending(), now)),
                new Release(current.socket(), false));
    }

    /**
     * The closing socket reported its end (or stopped draining for too long): everything it acknowledged to the
     * server was published. A session handed over leaves this node now, and its lease goes, so the next owner
     * connects once this socket is gone; one shut down stays, closed.
     */
    Decision drained(Instant now) {
        SessionState current = state;
        if (!current.draining()) {
            return Decision.NONE;
        }
        Enter closed = new Enter(
                current.closed(current.stored(), current.reason(), current.stopDetail(), current.purgePending(), now));
        return HANDED_OVER.equals(current.reason())
                ? Decision.of(closed, new Forget(), new Disown())
                : Decision.of(closed);
    }

    /**
     * The lease went to another node, or expired: the socket closes and the session leaves this node, and nothing
     * is written or published, since the session is not this node's to write: its new owner writes from now on.
     */
    Decision fenced(Instant now) {
        SessionState current = state;
        List<Step> steps = new ArrayList<>();
        if (current.socket() != null) {
            steps.add(new Enter(current.closed(current.stored(), MOVED, null, current.purgePending(), now)));
            steps.add(new Release(current.socket(), false));
        }
        steps.add(new Forget());
        return new Decision(steps, List.of());
    }

    /**
     * Rebalancing: an open session goes to another node. Its socket drains and closes, and only when it reported
     * its end does the lease go ({@link #drained}), so the next owner connects once this socket is gone and no
     * message it took is lost; what is stored stays, so it starts there without a QR.
     */
    Decision handOver(Instant now) {
        SessionState current = state;
        if (current.status() != SessionStatus.READY) {
            return Decision.NONE;
        }
        return Decision.of(new Enter(current.closing(HANDED_OVER, now)), new Release(current.socket(), false));
    }

    // ---- engine reports

    Decision onQr(SocketToken token, String qr, Instant now) {
        if (!state.isLive(token)) {
            return Decision.NONE;
        }
        return Decision.of(new Enter(state.showing(qr, null, now)), new Publish(new EventData.Qr(qr)));
    }

    Decision onPairingCode(SocketToken token, String code, Instant now) {
        if (!state.isLive(token)) {
            return Decision.NONE;
        }
        return Decision.of(new Enter(state.showing(null, code, now)), new Publish(new EventData.PairingCode(code)));
    }

    Decision onOpen(SocketToken token, String jid, Instant now) {
        if (!state.isLive(token)) {
            return Decision.NONE;
        }
        return Decision.of(new Enter(state.open(now)), new Publish(new EventData.Open(jid)));
    }

    Decision onMessage(SocketToken token, EventData.Message message) {
        return state.isLive(token) || state.drains(token) ? Decision.of(new Publish(message)) : Decision.NONE;
    }

    /**
     * The socket ended; {@link DisconnectReason#action()} says what follows: a new socket at once (515), one after
     * a backoff delay, a stop that keeps the credentials, or a purge.
     */
    Decision onDisconnect(SocketToken token, Disconnect why, Backoff backoff, Instant now) {
        SessionState current = state;
        if (current.drains(token)) {
            return drained(now);
        }
        if (!current.isLive(token)) {
            return Decision.NONE;
        }
        String reason = why.reason().wireName();
        return switch (why.reason().action()) {
            case RECONNECT_NOW ->
                Decision.of(
                        new Enter(current.reconnecting(reason, current.attempt(), now)),
                        new Publish(EventData.Restarting.of(why)),
                        new Reconnect(token, Duration.ZERO));
            case RECONNECT_WITH_BACKOFF -> {
                int attempt = current.attempt() + 1;
                Duration delay = backoff.delay(attempt);
                yield Decision.of(
                        new Enter(current.reconnecting(reason, attempt, now)),
                        new Publish(EventData.Reconnecting.of(attempt, delay.toMillis(), why)),
                        new Reconnect(token, delay));
            }
            case STOP -> {
                StoredSession stopped = current.stored().withDesiredRunning(false, now);
                EventData.Closed event = EventData.Closed.of(why);
                // Closed either way; if the write fails, the state says what session.json still says.
                yield Decision.of(
                                new Save(stopped),
                                new Enter(current.closed(stopped, reason, why.detail(), false, now)),
                                new Publish(event))
                        .orIfWriteFails(
                                new Enter(current.closed(current.stored(), reason, why.detail(), false, now)),
                                new Publish(event));
            }
            case PURGE ->
                Decision.of(
                                new Purge(),
                                new Enter(current.removed(reason, now)),
                                new Publish(EventData.Removed.of(why)))
                        .orIfWriteFails(purgeFailed(
                                current, "logged out by the server (" + why.code() + ": " + why.detail() + ")", now));
        };
    }

    /** Logged out, but the credentials are still on disk: closed until a purge succeeds (DELETE .../storage or PUT). */
    private static Step[] purgeFailed(SessionState current, String what, Instant now) {
        String detail = what + ", but its credentials could not be deleted; DELETE .../storage or PUT deletes them "
                + "once the storage is writable";
        return new Step[] {
            new Enter(current.closed(current.stored(), PURGE_FAILED, detail, true, now)),
            new Publish(EventData.Closed.by(PURGE_FAILED, detail))
        };
    }

    /** The engine could not even try: closed, {@code start_failed}; what is stored stays as it is. */
    Decision startFailed(SocketToken token, String detail, Instant now) {
        SessionState current = state;
        if (current.socket() != token) {
            return Decision.NONE;
        }
        return Decision.of(
                new Enter(current.closed(current.stored(), "start_failed", detail, false, now)),
                new Publish(EventData.Closed.by("start_failed", detail)));
    }

    /** Whether this session keeps webhooks of its own; lock-free. */
    List<StoredWebhook> webhooks() {
        return state.stored().webhooks();
    }
}
