package dev.linkwell.service.storage;

import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.Keyring;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.support.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class PostgresCredentialStoreContractTest extends CredentialStoreContract {

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
            s.execute("TRUNCATE credential");
        }
    }

    @Override
    CredentialBackend newBackend() {
        return new PostgresCredentialStore(database);
    }

    @Override
    Keyring keys() {
        return Keyring.none();
    }
}
