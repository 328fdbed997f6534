package dev.linkwell.service.session;

import java.util.function.Consumer;

/**
 * Which sessions this node may run. With file storage it runs them all ({@link #SOLE}); with several nodes on one
 * PostgreSQL database each session has one owner at a time, by a lease with a fencing epoch (ADR 0015): a node runs
 * a session only while it holds the lease, and learns through {@link #onLost} when it no longer does.
 */
public interface SessionOwnership {

    /** The only node: every session is its own, for good. */
    SessionOwnership SOLE = new SessionOwnership() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public boolean holds(String sessionId) {
            return true;
        }

        @Override
        public boolean acquire(String sessionId) {
            return true;
        }

        @Override
        public boolean confirm(String sessionId) {
            return true;
        }

        @Override
        public void release(String sessionId) {}

        @Override
        public void releaseAll() {}

        @Override
        public void onLost(Consumer<String> listener) {}
    };

    /** Whether other nodes share the sessions: then a session runs here only while this node holds its lease. */
    boolean shared();

    /** Whether this node holds the session's lease now, as far as it knows (no database round trip). */
    boolean holds(String sessionId);

    /** Takes the session's lease if it is free or expired (or held already); false when another node holds it. */
    boolean acquire(String sessionId);

    /**
     * Renews the session's lease in the database before a socket opens; false when it is not this node's any more
     * (or the database cannot say): then no socket may open.
     */
    boolean confirm(String sessionId);

    /** Gives the lease back at once, so another node may take the session (after this node closed its socket). */
    void release(String sessionId);

    /** Gives every lease back: a clean shutdown, after every socket closed. */
    void releaseAll();

    /** Hears of each session whose lease this node lost (expired, or taken by another node), on another thread. */
    void onLost(Consumer<String> listener);
}
