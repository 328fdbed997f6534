package dev.linkwell.service.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outbox in SQL, the same statements for SQLite and PostgreSQL; subclasses say how to get a
 * connection and how to give space back after compaction.
 */
abstract class JdbcOutboxStore implements OutboxStore {

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static final String COLUMNS =
            "id, endpoint, url, secret, session_id, event_id, event_type, body, created_at, "
                    + "attempts, next_at, dead_at, last_status, last_error";

    private final String table;
    /** The first pending row of every lane, as {@code d}. */
    private final String laneHeads;

    JdbcOutboxStore(String table) {
        this.table = table;
        this.laneHeads = "FROM " + table + " d JOIN " + "(SELECT MIN(id) AS id FROM " + table
                + " WHERE dead_at IS NULL GROUP BY lane) h ON d.id = h.id ";
    }

    /** Runs one unit of work on a connection in auto-commit mode. */
    abstract <T> T withConnection(SqlWork<T> work) throws SQLException;

    /** Gives space back after dead letters were dropped; a no-op where the database does it itself. */
    abstract void reclaimSpace(Connection connection) throws SQLException;

    /** Runs first in {@link #append}'s transaction; throws to add nothing. */
    void beforeAppend(Connection connection, List<NewDelivery> rows) throws SQLException {}

    @Override
    public void append(List<NewDelivery> rows, long now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        withConnection(c -> {
            c.setAutoCommit(false);
            try {
                beforeAppend(c, rows);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                        + " (lane, endpoint, url, secret, session_id, event_id, event_type, body, created_at, next_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (NewDelivery row : rows) {
                        insert.setString(1, OutboxStore.lane(row.endpoint().key(), row.sessionId()));
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
                c.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public List<Head> dueHeads(long now) throws SQLException {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT d.id, d.lane, d.url " + laneHeads + "WHERE d.next_at <= ? ORDER BY d.next_at, d.id")) {
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

    @Override
    public Optional<Long> nextDueAfter(long now) throws SQLException {
        return withConnection(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT MIN(d.next_at) " + laneHeads + "WHERE d.next_at > ?")) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next(); // an aggregate always has one row
                    long value = rs.getLong(1);
                    return rs.wasNull() ? Optional.<Long>empty() : Optional.of(value);
                }
            }
        });
    }

    @Override
    public void delivered(long id) throws SQLException {
        update("DELETE FROM " + table + " WHERE id = ?", ps -> ps.setLong(1, id));
    }

    @Override
    public void retryLater(long id, int attempts, long nextAt, Integer status, String error) throws SQLException {
        failedAttempt("next_at", id, attempts, nextAt, status, error);
    }

    @Override
    public void dead(long id, int attempts, long now, Integer status, String error) throws SQLException {
        failedAttempt("dead_at", id, attempts, now, status, error);
    }

    private void failedAttempt(String timeColumn, long id, int attempts, long time, Integer status, String error)
            throws SQLException {
        update(
                "UPDATE " + table + " SET attempts = ?, " + timeColumn
                        + " = ?, last_status = ?, last_error = ? WHERE id = ?",
                ps -> {
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

    @Override
    public List<Delivery> deadLetters(String sessionId, int limit) throws SQLException {
        if (sessionId == null) {
            return query(
                    "SELECT " + COLUMNS + " FROM " + table + " WHERE dead_at IS NOT NULL ORDER BY id DESC LIMIT ?",
                    ps -> ps.setInt(1, limit));
        }
        return query(
                "SELECT " + COLUMNS + " FROM " + table
                        + " WHERE dead_at IS NOT NULL AND session_id = ? ORDER BY id DESC LIMIT ?",
                ps -> {
                    ps.setString(1, sessionId);
                    ps.setInt(2, limit);
                });
    }

    @Override
    public Optional<Delivery> find(long id) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", ps -> ps.setLong(1, id)).stream()
                .findFirst();
    }

    @Override
    public boolean redeliver(long id, long now) throws SQLException {
        return update(
                        "UPDATE " + table
                                + " SET dead_at = NULL, attempts = 0, next_at = ? WHERE id = ? AND dead_at IS NOT NULL",
                        ps -> {
                            ps.setLong(1, now);
                            ps.setLong(2, id);
                        })
                == 1;
    }

    @Override
    public Stats stats() throws SQLException {
        return withConnection(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT "
                            + "(SELECT COUNT(*) FROM " + table + " WHERE dead_at IS NULL), "
                            + "(SELECT MIN(created_at) FROM " + table + " WHERE dead_at IS NULL), "
                            + "(SELECT COUNT(*) FROM " + table + " WHERE dead_at IS NOT NULL)")) {
                rs.next();
                long pending = rs.getLong(1);
                long oldest = rs.getLong(2);
                Long oldestOrNull = rs.wasNull() ? null : oldest;
                return new Stats(pending, oldestOrNull, rs.getLong(3));
            }
        });
    }

    @Override
    public int compact(long deadBefore) throws SQLException {
        int dropped = update(
                "DELETE FROM " + table + " WHERE dead_at IS NOT NULL AND dead_at < ?", ps -> ps.setLong(1, deadBefore));
        withConnection(c -> {
            reclaimSpace(c);
            return null;
        });
        return dropped;
    }

    @Override
    public void check() throws SQLException {
        withConnection(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE id < 0")) {
                rs.next();
            }
            return null;
        });
    }

    private List<Delivery> query(String sql, Binder binder) throws SQLException {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
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
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
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
        return new Delivery(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getBytes(8),
                rs.getLong(9),
                rs.getInt(10),
                rs.getLong(11),
                deadAtOrNull,
                statusOrNull,
                rs.getString(14));
    }
}
