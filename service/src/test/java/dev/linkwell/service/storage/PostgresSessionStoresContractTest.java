package dev.linkwell.service.storage;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.storage.postgres.PostgresSessionKeyStore;
import dev.linkwell.service.storage.postgres.PostgresSessionStateStore;
import dev.linkwell.service.support.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class PostgresSessionStoresContractTest extends SessionStoresContract {

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
            s.execute("TRUNCATE session_state, session_api_key, credential");
        }
    }

    @Override
    SessionStateStore states() {
        return new PostgresSessionStateStore(database, JSON);
    }

    @Override
    SessionKeyStore keys() {
        return new PostgresSessionKeyStore(database);
    }

    @Override
    CredentialStore credentials() {
        return new PostgresCredentialStore(database);
    }

    @Override
    String backendName() {
        return "postgres";
    }
}
