package dev.linkwell.service.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.linkwell.service.storage.DatabaseUrls;
import dev.linkwell.service.storage.StorageException;
import dev.linkwell.service.storage.StorageProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database of {@code STORAGE=postgres}: a HikariCP pool, the schema brought up to date by
 * Flyway ({@code db/postgresql/V*.sql}), and the rotation lock: a session-level advisory lock held on a
 * connection of its own for as long as the process runs. Service nodes hold it shared, so any number of them
 * share the database (sessions are theirs by lease, ADR 0015); the key rotation command holds it exclusively, so
 * it never runs beside a node and no node starts while it runs.
 */
public final class PostgresDatabase implements AutoCloseable {

    /** "Linkwell" in ASCII: the advisory lock key of the rotation lock. */
    static final long ROTATION_LOCK = 0x4C696E6B77656C6CL;

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

    private final HikariDataSource pool;
    private final Connection lockConnection;
    private final String description;
    private final Supplier<Connection> connections;

    private PostgresDatabase(
            HikariDataSource pool, Connection lockConnection, String description, Supplier<Connection> connections) {
        this.pool = pool;
        this.lockConnection = lockConnection;
        this.description = description;
        this.connections = connections;
    }

    /**
     * Connects, migrates and takes the rotation lock shared, as a service node.
     *
     * @throws IllegalStateException naming the database (never its password) and what failed
     */
    public static PostgresDatabase open(StorageProperties.Database settings) {
        return open(settings, false);
    }

    /**
     * Connects, migrates and takes the rotation lock exclusively, for {@code --rotate-storage-key}.
     *
     * @throws IllegalStateException when a node runs on the database, or as {@link #open}
     */
    public static PostgresDatabase openExclusive(StorageProperties.Database settings) {
        return open(settings, true);
    }

    private static PostgresDatabase open(StorageProperties.Database settings, boolean exclusive) {
        DatabaseUrls.Parsed url;
        try {
            url = DatabaseUrls.parse(settings.url());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String user = settings.username() != null ? settings.username() : url.user();
        String password = settings.password() != null ? settings.password() : url.password();
        String description = DatabaseUrls.redact(url.jdbcUrl()) + (user == null ? "" : " as " + user);
        Properties driver = new Properties();
        driver.setProperty("ApplicationName", "linkwell");
        driver.setProperty(
                "connectTimeout", Long.toString(settings.connectTimeout().toSeconds()));
        driver.setProperty(
                "socketTimeout", Long.toString(settings.socketTimeout().toSeconds()));
        driver.setProperty("tcpKeepAlive", "true");
        HikariDataSource pool = null;
        Connection lock = null;
        try {
            pool = new HikariDataSource(poolConfig(settings, url.jdbcUrl(), user, password, driver));
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/postgresql")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            lock = connect(url.jdbcUrl(), user, password, driver);
            if (!tryLock(lock, exclusive)) {
                throw new IllegalStateException(
                        exclusive
                                ? "Linkwell nodes are running on this database; stop every node before --rotate-storage-key"
                                : "a --rotate-storage-key run is using this database; start the node once it has finished");
            }
            log.info("Storage on PostgreSQL at {}", description);
            String jdbcUrl = url.jdbcUrl();
            return new PostgresDatabase(pool, lock, description, () -> {
                try {
                    return connect(jdbcUrl, user, password, driver);
                } catch (SQLException e) {
                    throw new StorageException("cannot connect to " + description + ": " + e.getMessage(), e);
                }
            });
        } catch (RuntimeException | SQLException e) {
            closeQuietly(lock);
            if (pool != null) {
                pool.close();
            }
            throw new IllegalStateException(
                    "Cannot open the PostgreSQL storage at " + description + ": " + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * A connection of its own, outside the pool, for one that stays open and waits (LISTEN); the caller closes it.
     *
     * @throws StorageException when the database cannot be reached
     */
    public Connection dedicatedConnection() {
        return connections.get();
    }

    /** The database URL and user, without any password. */
    public String describe() {
        return description;
    }

    /** Readiness: a connection answers and the database takes writes (it is no read-only standby). */
    public void check() throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('transaction_read_only')")) {
            rs.next();
            if (!"off".equals(rs.getString(1))) {
                throw new SQLException("the database is read-only");
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(lockConnection); // ends the session, which releases the advisory lock
        pool.close();
    }

    private static HikariConfig poolConfig(
            StorageProperties.Database settings, String jdbcUrl, String user, String password, Properties driver) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("linkwell-db");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        // At start, wait as long for the database as any later call would (a database starting beside us).
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        config.setDataSourceProperties(driver);
        return config;
    }

    private static Connection connect(String jdbcUrl, String user, String password, Properties driver)
            throws SQLException {
        Properties props = new Properties();
        props.putAll(driver);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    private static boolean tryLock(Connection connection, boolean exclusive) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                exclusive ? "SELECT pg_try_advisory_lock(?)" : "SELECT pg_try_advisory_lock_shared(?)")) {
            ps.setLong(1, ROTATION_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server ends the session (and its lock) when the socket goes
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
