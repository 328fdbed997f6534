package dev.linkwell.service.webhook;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The durable webhook outbox: one row per accepted event and endpoint, kept until its receiver took it
 * (then deleted) or, given up, as a dead letter until {@link #compact} drops it. {@link #append} returns once
 * the rows are durable. A lane (endpoint and session) is served in order: {@link #dueHeads} offers only the
 * lowest pending row of each lane. Backends: SQLite under the storage root ({@link SqliteOutboxStore}) and
 * PostgreSQL ({@link PostgresOutboxStore}).
 */
interface OutboxStore extends AutoCloseable {

    /** A row to add: one accepted event for one endpoint. */
    record NewDelivery(WebhookEndpoint endpoint, String sessionId, String eventId, String eventType, byte[] body) {}

    /** The first pending row of a lane, as much as the dispatcher needs to pick it. */
    record Head(long id, String lane, String url) {}

    /** What the metrics and the readiness check show. */
    record Stats(long pending, Long oldestPendingCreatedAt, long dead) {}

    static String lane(String endpointKey, String sessionId) {
        return endpointKey + "\n" + sessionId;
    }

    /**
     * Adds the rows in one transaction; when it returns they are durable. On PostgreSQL only while this node holds
     * the lease of each row's session; otherwise nothing is added ({@link dev.linkwell.service.storage.FencedException}).
     */
    void append(List<NewDelivery> rows, long now) throws SQLException;

    /**
     * The first pending row of each lane whose attempt is due at {@code now}, most overdue first.
     * Later rows of a lane wait behind its first: that keeps per-lane order.
     */
    List<Head> dueHeads(long now) throws SQLException;

    /** When the next lane head that is not due yet becomes due, if any. */
    Optional<Long> nextDueAfter(long now) throws SQLException;

    /**
     * Takes the row for one delivery attempt by this process, so that no other node sends it at the same time;
     * false when another one has it (or it is gone). One process owns a SQLite outbox, so there it always may.
     */
    default boolean claim(long id) throws SQLException {
        return true;
    }

    /** The attempt is over (the row was updated or deleted): other nodes may take the row again. */
    default void unclaim(long id) throws SQLException {}

    /** The receiver took it: the row goes. */
    void delivered(long id) throws SQLException;

    /** A failed attempt; the row waits in its lane until {@code nextAt}. */
    void retryLater(long id, int attempts, long nextAt, Integer status, String error) throws SQLException;

    /** A failed attempt after which the row is a dead letter from {@code now}. */
    void dead(long id, int attempts, long now, Integer status, String error) throws SQLException;

    /** Dead letters, newest first, of one session or of all ({@code sessionId == null}). */
    List<Delivery> deadLetters(String sessionId, int limit) throws SQLException;

    Optional<Delivery> find(long id) throws SQLException;

    /** Makes a dead letter pending again with fresh attempts; false when {@code id} is no dead letter. */
    boolean redeliver(long id, long now) throws SQLException;

    Stats stats() throws SQLException;

    /**
     * Drops dead letters that died before {@code deadBefore} and gives the space back where the backend needs
     * telling.
     *
     * @return how many dead letters were dropped
     */
    int compact(long deadBefore) throws SQLException;

    /** A trivial query: throws when the outbox cannot be read. */
    void check() throws SQLException;

    @Override
    void close() throws SQLException;
}
