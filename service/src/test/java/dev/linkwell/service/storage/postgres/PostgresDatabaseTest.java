package dev.linkwell.service.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.support.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest {

    @Test
    void nodesShareTheDatabaseAndTheKeyRotationRunsOnlyAlone() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        try (PostgresDatabase first = PostgresDatabase.open(db.settings());
                PostgresDatabase second = PostgresDatabase.open(db.settings())) {
            first.check();
            second.check();
            assertThat(first.describe()).isEqualTo(db.url() + " as " + db.user());
            assertThatThrownBy(() -> PostgresDatabase.openExclusive(db.settings()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot open the PostgreSQL storage at " + db.url())
                    .hasMessageContaining("Linkwell nodes are running on this database");
        }
        try (PostgresDatabase rotation = PostgresDatabase.openExclusive(db.settings())) {
            assertThatThrownBy(() -> PostgresDatabase.open(db.settings()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a --rotate-storage-key run is using this database");
        }
        try (PostgresDatabase again = PostgresDatabase.open(db.settings());
                Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getInt(1)).as("V1 and V2 applied once each").isEqualTo(2);
        }
    }

    @Test
    void theLibpqUrlFormCarriesUserAndPassword() throws Exception {
        PostgresServer server = PostgresServer.get();
        PostgresServer.TestDatabase db = server.newDatabase();
        String url = "postgres://" + db.user() + ":" + db.password() + "@127.0.0.1:" + server.port() + "/" + db.name();
        try (PostgresDatabase opened = PostgresDatabase.open(settings(url, null, null))) {
            opened.check();
            assertThat(opened.describe()).doesNotContain(db.password()).endsWith(" as " + db.user());
        }
    }

    @Test
    void aWrongPasswordOrAnUnreachableServerSaysWhatFailedAndNeverShowsThePassword() {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        assertThatThrownBy(() -> PostgresDatabase.open(settings(db.url(), db.user(), "wrong-password-123")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot open the PostgreSQL storage at " + db.url() + " as " + db.user())
                .hasMessageContaining("password authentication failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password-123"));

        assertThatThrownBy(() -> PostgresDatabase.open(
                        settings("jdbc:postgresql://127.0.0.1:9/none?password=hunter2-secret", "u", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:9")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret"));
        assertThatThrownBy(() -> PostgresDatabase.open(settings(null, null, null)))
                .hasMessageContaining("STORAGE=postgres needs DATABASE_URL");
        assertThatThrownBy(() -> PostgresDatabase.open(settings("mysql://localhost/db", null, null)))
                .hasMessageContaining("DATABASE_URL must start with jdbc:postgresql://, postgres:// or postgresql://");
    }

    private static StorageProperties.Database settings(String url, String user, String password) {
        return new StorageProperties.Database(url, user, password, 2, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
