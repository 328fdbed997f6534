package dev.linkwell.service.storage.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per node that waits for PostgreSQL notifications (LISTEN/NOTIFY) on a connection of its own and
 * hands each to the handlers of its channel, and that runs the poll tasks after every wake-up and at least every
 * {@code pollInterval}: a lost notification (the connection dropped, the database restarted) costs at most one
 * interval, never an event. While the connection is down it only polls, and connects again.
 */
public final class PostgresNotifications implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);

    private final PostgresDatabase database;
    private final Duration pollInterval;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> polls = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile Connection connection;
    private Thread thread;

    public PostgresNotifications(PostgresDatabase database, Duration pollInterval) {
        this.database = database;
        this.pollInterval = pollInterval;
    }

    /** Hears every notification of {@code channel}, with its payload; register before {@link #start}. */
    public void on(String channel, Consumer<String> handler) {
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Runs after every wake-up, notified or not; register before {@link #start}. */
    public void poll(Runnable task) {
        polls.add(task);
    }

    /** Runs each time the listening connection is (re)established: what was missed meanwhile is not notified. */
    public void onConnected(Runnable task) {
        reconnected.add(task);
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("pg-notifications").daemon().start(this::run);
        }
    }

    private void run() {
        try {
            while (running) {
                waitOnce();
                polls.forEach(PostgresNotifications::quietly);
            }
        } finally {
            closeConnection();
        }
    }

    private void waitOnce() {
        try {
            if (connection == null) {
                connection = listen();
                reconnected.forEach(PostgresNotifications::quietly);
            }
            PGNotification[] received =
                    connection.unwrap(PGConnection.class).getNotifications((int) pollInterval.toMillis());
            if (received != null) {
                for (PGNotification notification : received) {
                    handlers.getOrDefault(notification.getName(), List.of())
                            .forEach(h -> quietly(() -> h.accept(notification.getParameter())));
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (running) {
                log.warn(
                        "Lost the database notifications ({}); polling every {} until they are back",
                        e.toString(),
                        pollInterval);
                closeConnection();
                pause();
            }
        }
    }

    private Connection listen() throws SQLException {
        Connection c = database.dedicatedConnection();
        try (Statement s = c.createStatement()) {
            for (String channel : handlers.keySet()) {
                s.execute("LISTEN " + channel);
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    private static void quietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("Database notification handler failed: {}", e.toString());
        }
    }

    /** Stops the thread: closing its connection ends the wait it may be in. */
    @Override
    public void close() {
        running = false;
        closeConnection();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
