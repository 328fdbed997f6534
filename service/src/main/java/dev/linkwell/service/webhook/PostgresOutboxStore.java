package dev.linkwell.service.webhook;

import dev.linkwell.service.storage.postgres.Fence;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The outbox of {@code STORAGE=postgres}: the {@code webhook_delivery} table (made by the storage's Flyway
 * migration), the same rows and statements as the SQLite outbox. A commit is durable when it returns
 * (PostgreSQL's default {@code synchronous_commit=on}); autovacuum gives the space of deleted rows back.
 * Every node reads the one table: rows are added by the node that published the event, under its lease on the
 * session ({@link Fence}), and a node takes a row for each attempt ({@link #claim}), so an event goes to a
 * receiver once, whichever nodes run, and the rows of a node that died are sent by the others.
 */
final class PostgresOutboxStore extends JdbcOutboxStore {

    private final DataSource dataSource;
    private final Fence fence;
    private final Duration claimFor;

    /** {@code claimFor}: how long a claim keeps the other nodes away; longer than an attempt may take. */
    PostgresOutboxStore(PostgresDatabase database, Fence fence, Duration claimFor) {
        super("webhook_delivery");
        this.dataSource = database.dataSource();
        this.fence = fence;
        this.claimFor = claimFor;
    }

    @Override
    <T> T withConnection(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    @Override
    void beforeAppend(Connection connection, List<NewDelivery> rows) throws SQLException {
        Set<String> sessions = new LinkedHashSet<>();
        rows.forEach(row -> sessions.add(row.sessionId()));
        for (String sessionId : sessions) {
            fence.hold(connection, sessionId);
        }
    }

    /** A row not taken, or whose taker's time ran out (it died in the middle of an attempt). */
    @Override
    public boolean claim(long id) throws SQLException {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_delivery SET claimed_by = ?, "
                    + "claimed_until = now() + make_interval(secs => ?) WHERE id = ? AND dead_at IS NULL "
                    + "AND (claimed_until IS NULL OR claimed_until < now())")) {
                ps.setString(1, fence.node());
                ps.setDouble(2, claimFor.toMillis() / 1000.0);
                ps.setLong(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void unclaim(long id) throws SQLException {
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE webhook_delivery SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?")) {
                ps.setLong(1, id);
                ps.setString(2, fence.node());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    void reclaimSpace(Connection connection) {
        // autovacuum reclaims deleted rows
    }

    /** The pool belongs to the database, which closes it. */
    @Override
    public void close() {}
}
