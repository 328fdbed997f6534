package dev.linkwell.service.webhook;

import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.support.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class PostgresOutboxStoreTest extends OutboxStoreContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = PostgresDatabase.open(PostgresServer.get().newDatabase().settings());
    }

    @AfterAll
    static void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE webhook_delivery RESTART IDENTITY");
        }
    }

    @Override
    OutboxStore open() {
        return new PostgresOutboxStore(database);
    }
}
