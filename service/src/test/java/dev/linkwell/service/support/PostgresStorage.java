package dev.linkwell.service.support;

import dev.linkwell.service.storage.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class of a PostgreSQL store: a new database of the {@link PostgresServer}, opened as the service
 * opens it (migrated, the rotation lock taken shared) before the class and closed after it, with the given tables emptied
 * before each test (their identities restarted). Register it as a static {@code @RegisterExtension} field.
 */
public final class PostgresStorage implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final String tables;
    private PostgresDatabase database;

    public PostgresStorage(String... tables) {
        this.tables = String.join(", ", tables);
    }

    public PostgresDatabase database() {
        return database;
    }

    /** A fence under which this test node may write every session. */
    public TestFence fence() {
        return new TestFence(database);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = PostgresDatabase.open(PostgresServer.get().newDatabase().settings());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + tables + " RESTART IDENTITY");
        }
    }
}
