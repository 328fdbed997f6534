package dev.linkwell.service.webhook;

import dev.linkwell.service.storage.StorageRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbox of the file backend: one SQLite database file ({@code <STORAGE_ROOT>/webhooks/outbox.db}) in
 * WAL mode with {@code synchronous=FULL}, so a row is on disk when {@link #append} returns and survives a
 * crash of the process (see docs/adr/0001-webhook-outbox-on-sqlite.md). Compaction also gives free pages
 * back to the file system and truncates the write-ahead log. The database is opened in exclusive locking
 * mode, so a second service on the same storage root fails at start instead of delivering everything twice.
 *
 * <p>One connection, used under a lock: SQLite serializes writers anyway and the work per call is small.
 */
final class SqliteOutboxStore extends JdbcOutboxStore {

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private SqliteOutboxStore(Connection connection) {
        super("delivery");
        this.connection = connection;
    }

    static SqliteOutboxStore open(StorageRoot root) throws IOException, SQLException {
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
        return new SqliteOutboxStore(connection);
    }

    @Override
    <T> T withConnection(SqlWork<T> work) throws SQLException {
        lock.lock();
        try {
            return work.run(connection);
        } finally {
            lock.unlock();
        }
    }

    @Override
    void reclaimSpace(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // executeUpdate runs the pragma to the end; execute would stop after its first step (one page).
            s.executeUpdate("PRAGMA incremental_vacuum");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
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
}
