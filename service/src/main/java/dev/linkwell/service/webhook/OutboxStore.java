package dev.linkwell.service.webhook;

import dev.linkwell.service.storage.StorageRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable webhook outbox: one SQLite database file ({@code <STORAGE_ROOT>/webhooks/outbox.db}) in
 * WAL mode with {@code synchronous=FULL}, so a row is on disk when {@link #append} returns and
 * survives a crash of the process (see docs/adr/0001-webhook-outbox-on-sqlite.md). A row stays
 * until its receiver took it; then it is deleted. Rows that used up their attempts stay as dead
 * letters until {@link #compact} drops them. The database is opened in exclusive locking mode, so
 * a second service on the same storage root fails at start instead of delivering everything twice.
 *
 * <p>One connection, used under a lock: SQLite serializes writers anyway and the work per call is small.
 */
final class OutboxStore implements AutoCloseable {

    /** A row to add: one accepted event for one endpoint. */
    record NewDelivery(WebhookEndpoint endpoint, String sessionId, String eventId, String eventType, byte[] body) {
    }

    /** The first pending row of a lane, as much as the dispatcher needs to pick it. */
    record Head(long id, String lane, String url) {
    }

    /** What the metrics and the readiness check show. */
    record Stats(long pending, Long oldestPendingCreatedAt, long dead) {
    }

    /** The first pending row of every lane, as {@code d}. */
    private static final String LANE_HEADS = "FROM delivery d JOIN "
        + "(SELECT MIN(id) AS id FROM delivery WHERE dead_at IS NULL GROUP BY lane) h ON d.id = h.id ";
    private static final String COLUMNS = "id, endpoint, url, secret, session_id, event_id, event_type, body, created_at, "
        + "attempts, next_at, dead_at, last_status, last_error";

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private OutboxStore(Connection connection) {
        this.connection = connection;
    }

    static OutboxStore open(StorageRoot root) throws IOException, SQLException {
        Path file = root.privateFolder("webhooks").resolve("outbox.db");
        StorageRoot.createPrivateFile(file); // SQLite gives its -wal and -shm files the database file's mode
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            s.execute("PRAGMA auto_vacuum=INCREMENTAL"); // takes effect on a new file, before the first table
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA journal_size_limit=4194304");
            s.execute("""
                CREATE TABLE IF NOT EXISTS delivery (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  lane TEXT NOT NULL,
                  endpoint TEXT NOT NULL,
                  url TEXT NOT NULL,
                  secret TEXT,
                  session_id TEXT NOT NULL,
                  event_id TEXT NOT NULL,
                  event_type TEXT NOT NULL,
                  body BLOB NOT NULL,
                  created_at INTEGER NOT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0,
                  next_at INTEGER NOT NULL,
                  dead_at INTEGER,
                  last_status INTEGER,
                  last_error TEXT)""");
            s.execute("CREATE INDEX IF NOT EXISTS delivery_pending ON delivery(lane, id) WHERE dead_at IS NULL");
            s.execute("CREATE INDEX IF NOT EXISTS delivery_dead ON delivery(dead_at) WHERE dead_at IS NOT NULL");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new OutboxStore(connection);
    }

    static String lane(String endpointKey, String sessionId) {
        return endpointKey + "\n" + sessionId;
    }

    /** Adds the rows in one transaction; when it returns they are on disk. */
    void append(List<NewDelivery> rows, long now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        inTransaction(() -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO delivery "
                + "(lane, endpoint, url, secret, session_id, event_id, event_type, body, created_at, next_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (NewDelivery row : rows) {
                    insert.setString(1, lane(row.endpoint().key(), row.sessionId()));
                    insert.setString(2, row.endpoint().key());
                    insert.setString(3, row.endpoint().url().toString());
                    insert.setString(4, row.endpoint().secret());
                    insert.setString(5, row.sessionId());
                    insert.setString(6, row.eventId());
                    insert.setString(7, row.eventType());
                    insert.setBytes(8, row.body());
                    insert.setLong(9, now);
                    insert.setLong(10, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * The first pending row of each lane whose attempt is due at {@code now}, most overdue first.
     * Later rows of a lane wait behind its first: that keeps per-lane order.
     */
    List<Head> dueHeads(long now) throws SQLException {
        return locked(() -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT d.id, d.lane, d.url " + LANE_HEADS
                + "WHERE d.next_at <= ? ORDER BY d.next_at, d.id")) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Head> heads = new ArrayList<>();
                    while (rs.next()) {
                        heads.add(new Head(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                    return heads;
                }
            }
        });
    }

    /** When the next lane head that is not due yet becomes due, if any. */
    Optional<Long> nextDueAfter(long now) throws SQLException {
        return locked(() -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT MIN(d.next_at) " + LANE_HEADS
                + "WHERE d.next_at > ?")) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next(); // an aggregate always has one row
                    long value = rs.getLong(1);
                    return rs.wasNull() ? Optional.<Long>empty() : Optional.of(value);
                }
            }
        });
    }

    /** The receiver took it: the row goes. */
    void delivered(long id) throws SQLException {
        update("DELETE FROM delivery WHERE id = ?", ps -> ps.setLong(1, id));
    }

    /** A failed attempt; the row waits in its lane until {@code nextAt}. */
    void retryLater(long id, int attempts, long nextAt, Integer status, String error) throws SQLException {
        failedAttempt("next_at", id, attempts, nextAt, status, error);
    }

    /** A failed attempt after which the row is a dead letter from {@code now}. */
    void dead(long id, int attempts, long now, Integer status, String error) throws SQLException {
        failedAttempt("dead_at", id, attempts, now, status, error);
    }

    private void failedAttempt(String timeColumn, long id, int attempts, long time, Integer status, String error)
        throws SQLException {
        update("UPDATE delivery SET attempts = ?, " + timeColumn + " = ?, last_status = ?, last_error = ? WHERE id = ?", ps -> {
            ps.setInt(1, attempts);
            ps.setLong(2, time);
            if (status == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setInt(3, status);
            }
            ps.setString(4, error);
            ps.setLong(5, id);
        });
    }

    /** Dead letters, newest first, of one session or of all ({@code sessionId == null}). */
    List<Delivery> deadLetters(String sessionId, int limit) throws SQLException {
        if (sessionId == null) {
            return query("SELECT " + COLUMNS + " FROM delivery WHERE dead_at IS NOT NULL ORDER BY id DESC LIMIT ?",
                ps -> ps.setInt(1, limit));
        }
        return query("SELECT " + COLUMNS + " FROM delivery WHERE dead_at IS NOT NULL AND session_id = ? ORDER BY id DESC LIMIT ?",
            ps -> {
                ps.setString(1, sessionId);
                ps.setInt(2, limit);
            });
    }

    Optional<Delivery> find(long id) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM delivery WHERE id = ?", ps -> ps.setLong(1, id)).stream().findFirst();
    }

    /** Makes a dead letter pending again with fresh attempts; false when {@code id} is no dead letter. */
    boolean redeliver(long id, long now) throws SQLException {
        return update("UPDATE delivery SET dead_at = NULL, attempts = 0, next_at = ? WHERE id = ? AND dead_at IS NOT NULL",
            ps -> {
                ps.setLong(1, now);
                ps.setLong(2, id);
            }) == 1;
    }

    Stats stats() throws SQLException {
        return locked(() -> {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT "
                     + "(SELECT COUNT(*) FROM delivery WHERE dead_at IS NULL), "
                     + "(SELECT MIN(created_at) FROM delivery WHERE dead_at IS NULL), "
                     + "(SELECT COUNT(*) FROM delivery WHERE dead_at IS NOT NULL)")) {
                rs.next();
                long pending = rs.getLong(1);
                long oldest = rs.getLong(2);
                Long oldestOrNull = rs.wasNull() ? null : oldest;
                return new Stats(pending, oldestOrNull, rs.getLong(3));
            }
        });
    }

    /**
     * Drops dead letters that died before {@code deadBefore}, then gives free pages back to the file
     * system and truncates the write-ahead log, so the files shrink back after a backlog.
     *
     * @return how many dead letters were dropped
     */
    int compact(long deadBefore) throws SQLException {
        int dropped = update("DELETE FROM delivery WHERE dead_at IS NOT NULL AND dead_at < ?", ps -> ps.setLong(1, deadBefore));
        locked(() -> {
            try (Statement s = connection.createStatement()) {
                // executeUpdate runs the pragma to the end; execute would stop after its first step (one page).
                s.executeUpdate("PRAGMA incremental_vacuum");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return null;
        });
        return dropped;
    }

    /** A trivial query: throws when the database cannot be read. */
    void check() throws SQLException {
        locked(() -> {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM delivery WHERE id < 0")) {
                rs.next();
            }
            return null;
        });
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            connection.close();
        } finally {
            lock.unlock();
        }
    }

    private List<Delivery> query(String sql, Binder binder) throws SQLException {
        return locked(() -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Delivery> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                    return rows;
                }
            }
        });
    }

    private int update(String sql, Binder binder) throws SQLException {
        return locked(() -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private static Delivery read(ResultSet rs) throws SQLException {
        long deadAt = rs.getLong(12);
        Long deadAtOrNull = rs.wasNull() ? null : deadAt;
        int status = rs.getInt(13);
        Integer statusOrNull = rs.wasNull() ? null : status;
        return new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getLong(9), rs.getInt(10), rs.getLong(11),
            deadAtOrNull, statusOrNull, rs.getString(14));
    }

    private <T> T inTransaction(SqlWork<T> work) throws SQLException {
        return locked(() -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private <T> T locked(SqlWork<T> work) throws SQLException {
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}
