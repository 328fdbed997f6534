package dev.linkwell.service.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.storage.*}: where sessions live and how their credentials are protected.
 *
 * @param type {@code file} (the default: everything under {@code root}) or {@code postgres} ({@code STORAGE})
 * @param root the storage root ({@code STORAGE_ROOT}); with {@code postgres} it keeps only the WhatsApp Web
 *             version cache
 * @param key the master key that seals credentials, base64 or hex of 32 bytes ({@code STORAGE_KEY}); none
 *            means credentials are stored as the engine wrote them
 * @param keyFile a file holding that key instead ({@code STORAGE_KEY_FILE})
 * @param oldKey the previous key during a rotation ({@code STORAGE_OLD_KEY}): it still opens records
 * @param oldKeyFile a file holding the previous key ({@code STORAGE_OLD_KEY_FILE})
 * @param database the PostgreSQL connection, for {@code type=postgres}
 * @param eventLogRetention how long the PostgreSQL event log keeps events
 */
@ConfigurationProperties("linkwell.storage")
public record StorageProperties(
        @DefaultValue(FILE) String type,
        @DefaultValue("./storage") Path root,
        String key,
        String keyFile,
        String oldKey,
        String oldKeyFile,
        @DefaultValue Database database,
        @DefaultValue("1d") Duration eventLogRetention) {

    public static final String FILE = "file";
    public static final String POSTGRES = "postgres";

    /**
     * {@code linkwell.storage.database.*}.
     *
     * @param url {@code DATABASE_URL}: {@code jdbc:postgresql://host:5432/db} or {@code postgres://user:password@host:5432/db}
     * @param username {@code DATABASE_USER}; wins over a user in the URL
     * @param password {@code DATABASE_PASSWORD}; wins over a password in the URL
     * @param poolSize connections the service keeps open at most (one more holds the rotation lock, one more
     *                 listens for notifications)
     * @param connectTimeout how long getting a connection may take before a call fails
     * @param socketTimeout how long one statement may wait for the server before it fails
     */
    public record Database(
            String url,
            String username,
            String password,
            @DefaultValue("10") int poolSize,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration socketTimeout) {

        public Database {
            url = blankToNull(url);
            username = blankToNull(username);
            password = password == null || password.isEmpty() ? null : password; // spaces may be part of it
            if (poolSize < 1) {
                throw new IllegalArgumentException("linkwell.storage.database.pool-size must be at least 1");
            }
            if (!connectTimeout.isPositive() || !socketTimeout.isPositive()) {
                throw new IllegalArgumentException("linkwell.storage.database timeouts must be positive");
            }
        }

        @Override
        public String toString() {
            return "Database[url=" + (url == null ? null : DatabaseUrls.redact(url)) + ", username=" + username
                    + ", password=" + (password == null ? "none" : "***") + ", poolSize=" + poolSize + "]";
        }
    }

    public StorageProperties {
        type = type == null || type.isBlank() ? FILE : type.strip().toLowerCase(Locale.ROOT);
        if (!type.equals(FILE) && !type.equals(POSTGRES)) {
            throw new IllegalArgumentException(
                    "STORAGE (linkwell.storage.type) must be 'file' or 'postgres', got '" + type + "'");
        }
        key = blankToNull(key);
        keyFile = blankToNull(keyFile);
        oldKey = blankToNull(oldKey);
        oldKeyFile = blankToNull(oldKeyFile);
        if (database == null) {
            database = new Database(null, null, null, 10, Duration.ofSeconds(10), Duration.ofSeconds(60));
        }
        if (!eventLogRetention.isPositive()) {
            throw new IllegalArgumentException("linkwell.storage.event-log-retention must be positive");
        }
    }

    public boolean postgres() {
        return type.equals(POSTGRES);
    }

    @Override
    public String toString() {
        return "StorageProperties[type=" + type + ", root=" + root + ", key="
                + (key != null || keyFile != null ? "set" : "none") + ", oldKey="
                + (oldKey != null || oldKeyFile != null ? "set" : "none") + ", database=" + database + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
