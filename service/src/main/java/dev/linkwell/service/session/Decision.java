package dev.linkwell.service.session;

import dev.linkwell.service.events.EventData;
import dev.linkwell.service.storage.StoredSession;
import java.time.Duration;
import java.util.List;

/**
 * What a session decided to do about a request or an engine report, as steps the service carries out in order
 * after the decision, with I/O outside the session's state. A failed storage write ({@link Save}, {@link Purge})
 * skips the remaining steps and runs {@code ifWriteFails} instead: what is true when the write did not happen.
 */
record Decision(List<Step> steps, List<Step> ifWriteFails) {

    static final Decision NONE = new Decision(List.of(), List.of());

    Decision {
        steps = List.copyOf(steps);
        ifWriteFails = List.copyOf(ifWriteFails);
    }

    static Decision of(Step... steps) {
        return new Decision(List.of(steps), List.of());
    }

    Decision orIfWriteFails(Step... fallback) {
        return new Decision(steps, List.of(fallback));
    }

    boolean isNone() {
        return steps.isEmpty();
    }

    /** One thing to do. */
    sealed interface Step {}

    /** The session is now in this state (readers see it, waiters wake up). */
    record Enter(SessionState state) implements Step {}

    /** Write {@code session.json}. */
    record Save(StoredSession stored) implements Step {}

    /** Delete the credentials and the session's folder. */
    record Purge() implements Step {}

    /** Publish an event of this session. */
    record Publish(EventData data) implements Step {}

    /** Open a socket through the token's provider. */
    record Open(SocketToken token) implements Step {}

    /** Close the token's socket, or log the device out first. */
    record Release(SocketToken token, boolean logout) implements Step {}

    /** Open a new socket after {@code delay}, unless {@code token} is no longer the session's by then. */
    record Reconnect(SocketToken token, Duration delay) implements Step {}

    /** Drop the session from the registry: it was never stored, so it does not exist; or it runs elsewhere now. */
    record Forget() implements Step {}

    /** Give the session's lease back, so another node may take it at once (several nodes on one database). */
    record Disown() implements Step {}
}
