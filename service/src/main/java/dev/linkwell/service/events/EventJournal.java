package dev.linkwell.service.events;

import java.time.Instant;

/**
 * Where a bus shared by several nodes keeps its events (PostgreSQL's event log, ADR 0015): it gives each event its
 * id, in one order for every node, and hands every node's events back to each bus ({@link EventBus#deliver}) in
 * that order.
 */
public interface EventJournal {

    /**
     * Keeps an event of a session this node runs and gives it its id.
     *
     * @throws RuntimeException when it could not: the database failed, or the session is no longer this node's
     *                          ({@code FencedException}); the event then goes nowhere
     */
    SessionEvent append(String sessionId, EventData data, Instant timestamp);
}
