package dev.linkwell.service.support;

import static org.junit.jupiter.api.Assertions.fail;

import dev.linkwell.service.storage.StorageProperties;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for the tests, one per test JVM: Debian's binaries (on {@code PATH} or under
 * {@code /usr/lib/postgresql/<version>/bin}), a fresh cluster made by {@code initdb} in a temp folder, password
 * authentication (scram-sha-256) on 127.0.0.1 and a free port, started and stopped with {@code pg_ctl}. The
 * server refuses to run as root, so as root (CI) every command runs as the {@code postgres} user through
 * {@code runuser}. Each test class takes a database of its own ({@link #newDatabase}). Stopped by a shutdown
 * hook; a cluster left by a killed JVM is stopped and deleted by the next run.
 *
 * <p>Without the binaries the calling test is skipped with a message, and fails when {@code CI} is set (the
 * same rule as the Node conformance tests); {@code .ci/run} installs Debian's {@code postgresql}.
 */
public final class PostgresServer {

    public static final String USER = "linkwell";
    private static final String PREFIX = "linkwell-pg-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer instance;
    private static String unavailable;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, String password, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
    }

    /** The running server; starts it on first use, or skips (fails under CI) the calling test when it cannot. */
    public static synchronized PostgresServer get() {
        if (instance == null && unavailable == null) {
            try {
                instance = start();
            } catch (RuntimeException | IOException e) {
                unavailable = e.getMessage();
            }
        }
        if (instance == null) {
            if (System.getenv("CI") != null) {
                fail("PostgreSQL tests cannot run in CI: " + unavailable);
            }
            Assumptions.abort("PostgreSQL tests skipped: " + unavailable
                    + " (install Debian's postgresql; set CI to make this a failure)");
        }
        return instance;
    }

    /** A new, empty database, owned by {@link #USER}. */
    public TestDatabase newDatabase() {
        String name = "t" + DATABASES.incrementAndGet() + "_"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new TestDatabase(name, "jdbc:postgresql://127.0.0.1:" + port + "/" + name, USER, password);
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** A connection to one database as the superuser, for tests that look at rows directly. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    /**
     * One database of the server.
     *
     * @param url its JDBC URL
     */
    public record TestDatabase(String name, String url, String user, String password) {

        /** Settings that reach it, as {@code DATABASE_URL}, {@code DATABASE_USER} and {@code DATABASE_PASSWORD} would. */
        public StorageProperties.Database settings() {
            return new StorageProperties.Database(
                    url, user, password, 4, Duration.ofSeconds(10), Duration.ofSeconds(60));
        }

        /** A connection as the superuser, for looking at rows directly. */
        public Connection connect() throws SQLException {
            return PostgresServer.get().connect(name);
        }

        @Override
        public String toString() {
            return "TestDatabase[" + url + "]";
        }
    }

    private static PostgresServer start() throws IOException {
        Path bin = binaries()
                .orElseThrow(() -> new IllegalStateException(
                        "no initdb/pg_ctl/postgres on PATH or under /usr/lib/postgresql/*/bin"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root
                && !Files.isExecutable(Path.of("/usr/sbin/runuser"))
                && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            throw new IllegalStateException(
                    "running as root, and runuser is missing to run PostgreSQL as the postgres user");
        }
        removeAbandonedClusters(bin, root);
        Path dir = Files.createTempDirectory(PREFIX);
        Files.writeString(
                dir.resolve("owner"), Long.toString(ProcessHandle.current().pid()));
        String password = HexFormat.of().formatHex(randomBytes());
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, password);
        if (root) {
            UserPrincipal postgres =
                    dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            Files.setOwner(passwordFile, postgres);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        PostgresServer server = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            server = new PostgresServer(bin, dir, port, password, root);
            if (attempt == 1) {
                server.run(
                        "initdb",
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        USER,
                        "--pwfile=" + passwordFile,
                        "--auth=scram-sha-256",
                        "--encoding=UTF8",
                        "--locale=C",
                        "--no-sync");
            }
            try {
                server.run(
                        "pg_ctl",
                        "-D",
                        dir.resolve("data").toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "30",
                        "-o",
                        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
                                + " -c fsync=off -c full_page_writes=off -c max_connections=300",
                        "start");
                break;
            } catch (IllegalStateException portTaken) {
                if (attempt == 3) {
                    throw new IllegalStateException(
                            portTaken.getMessage() + "\n" + tail(dir.resolve("server.log")), portTaken);
                }
            }
        }
        PostgresServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-stop"));
        return started;
    }

    private void stop() {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "-t", "30", "stop");
        } catch (RuntimeException e) {
            System.err.println("PostgreSQL test server did not stop: " + e.getMessage());
        }
        deleteTree(dir);
    }

    /** A cluster whose JVM died without its shutdown hook (kill -9): stop its server and delete it. */
    private static void removeAbandonedClusters(Path bin, boolean root) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                Optional<Long> owner = readOwner(dir.resolve("owner"));
                if (owner.isEmpty()
                        || ProcessHandle.of(owner.get())
                                .map(ProcessHandle::isAlive)
                                .orElse(false)) {
                    continue;
                }
                if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                    try {
                        new PostgresServer(bin, dir, 0, "", root)
                                .run(
                                        "pg_ctl",
                                        "-D",
                                        dir.resolve("data").toString(),
                                        "-m",
                                        "immediate",
                                        "-w",
                                        "-t",
                                        "30",
                                        "stop");
                    } catch (RuntimeException notRunning) {
                        // already stopped
                    }
                }
                deleteTree(dir);
            }
        }
    }

    private static Optional<Long> readOwner(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Runs one of the server's programs (as the postgres user when we are root) and waits, bounded. */
    private void run(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("pg-command", ".log");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(program + " did not finish within " + COMMAND_TIMEOUT);
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(program + " failed (exit " + process.exitValue() + "): "
                            + Files.readString(output, StandardCharsets.UTF_8).strip());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        }
    }

    private static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.comparing(PostgresServer::versionOf).reversed())
                        .forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .filter(dir ->
                        Stream.of("initdb", "pg_ctl", "postgres").allMatch(p -> Files.isExecutable(dir.resolve(p))))
                .map(dir -> {
                    try {
                        return dir.resolve("postgres")
                                .toRealPath()
                                .getParent(); // Debian links /usr/bin names to wrappers
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")))
                .findFirst();
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }
}
