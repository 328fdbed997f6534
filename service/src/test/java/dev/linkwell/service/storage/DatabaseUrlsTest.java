package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlsTest {

    @Test
    void jdbcUrlsPassAsTheyAre() {
        assertThat(DatabaseUrls.parse(" jdbc:postgresql://db:5432/linkwell?ssl=true "))
                .isEqualTo(new DatabaseUrls.Parsed("jdbc:postgresql://db:5432/linkwell?ssl=true", null, null));
        assertThat(DatabaseUrls.parse("jdbc:postgresql://db/linkwell"))
                .isEqualTo(new DatabaseUrls.Parsed("jdbc:postgresql://db/linkwell", null, null));
    }

    @Test
    void aJdbcUrlsUserAndPasswordMoveToTheSettingsSoNoLogShowsThem() {
        assertThat(DatabaseUrls.parse(
                        "jdbc:postgresql://db/linkwell?user=lw&ssl=true&PASSWORD=s%26cret&tcpKeepAlive=true"))
                .isEqualTo(new DatabaseUrls.Parsed(
                        "jdbc:postgresql://db/linkwell?ssl=true&tcpKeepAlive=true", "lw", "s&cret"));
        assertThat(DatabaseUrls.parse("jdbc:postgresql://db/linkwell?password=x"))
                .isEqualTo(new DatabaseUrls.Parsed("jdbc:postgresql://db/linkwell", null, "x"));
    }

    @Test
    void libpqUrlsLoseTheirCredentialsToTheSettings() {
        assertThat(DatabaseUrls.parse("postgres://lw%40app:p%3As+w@db.example.com:6543/linkwell?sslmode=require"))
                .isEqualTo(new DatabaseUrls.Parsed(
                        "jdbc:postgresql://db.example.com:6543/linkwell?sslmode=require", "lw@app", "p:s+w"));
        assertThat(DatabaseUrls.parse("postgresql://db/linkwell"))
                .isEqualTo(new DatabaseUrls.Parsed("jdbc:postgresql://db/linkwell", null, null));
        assertThat(DatabaseUrls.parse("postgres://only-user@[::1]:5432/x"))
                .isEqualTo(new DatabaseUrls.Parsed("jdbc:postgresql://[::1]:5432/x", "only-user", null));
    }

    @Test
    void badUrlsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> DatabaseUrls.parse("postgres://user:s3cret@/db"))
                .hasMessage("DATABASE_URL names no host");
        assertThatThrownBy(() -> DatabaseUrls.parse("postgres://user:s3cret@host:port/db"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        assertThatThrownBy(() -> DatabaseUrls.parse("")).hasMessageContaining("STORAGE=postgres needs DATABASE_URL");
    }

    @Test
    void redactionHidesPasswordsInBothForms() {
        assertThat(DatabaseUrls.redact("postgres://me:secret@db:5432/x")).isEqualTo("postgres://me:***@db:5432/x");
        assertThat(DatabaseUrls.redact("jdbc:postgresql://db/x?user=me&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=me&password=***&ssl=true");
        assertThat(DatabaseUrls.redact("jdbc:postgresql://db/x")).isEqualTo("jdbc:postgresql://db/x");
    }
}
