package dev.linkwell.service.webhook;

import dev.linkwell.service.storage.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The outbox of {@code STORAGE=postgres}: the {@code webhook_delivery} table (made by the storage's Flyway
 * migration), the same rows and statements as the SQLite outbox. A commit is durable when it returns
 * (PostgreSQL's default {@code synchronous_commit=on}); autovacuum gives the space of deleted rows back.
 * The database's node lock ({@link PostgresDatabase}) keeps a second node from sending everything twice.
 */
final class PostgresOutboxStore extends JdbcOutboxStore {

    private final DataSource dataSource;

    PostgresOutboxStore(PostgresDatabase database) {
        super("webhook_delivery");
        this.dataSource = database.dataSource();
    }

    @Override
    <T> T withConnection(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    @Override
    void reclaimSpace(Connection connection) {
        // autovacuum reclaims deleted rows
    }

    /** The pool belongs to the database, which closes it. */
    @Override
    public void close() {}
}
