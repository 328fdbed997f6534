package dev.linkwell.service.storage.postgres;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.SessionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every event the bus publishes into the {@code event_log} table, with the bus's id, before
 * {@link EventBus#publish} returns, so that events outlive the process and can later be shared between
 * nodes. The bus continues after the largest logged id, so ids never repeat across restarts. Events older
 * than the retention are deleted every minute. A failed write is logged and the publisher goes on: SSE,
 * WebSocket and webhooks do not depend on the log.
 */
public final class PostgresEventLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresEventLog.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration retention;
    private final EventBus.Subscription subscription;
    private final ScheduledExecutorService pruner;

    public PostgresEventLog(PostgresDatabase database, EventBus bus, JsonMapper json, Clock clock, Duration retention) {
        this.dataSource = database.dataSource();
        this.json = json;
        this.clock = clock;
        this.retention = retention;
        bus.continueAfter(lastId());
        this.subscription = bus.subscribe(EventFilter.ALL, this::append);
        this.pruner = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("event-log-pruner").daemon().factory());
        pruner.scheduleWithFixedDelay(this::prune, 0, PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes events older than the retention; returns how many. */
    int prune() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM event_log WHERE created_at < ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC));
            int deleted = ps.executeUpdate();
            if (deleted > 0) {
                log.debug("Event log: deleted {} events older than {}", deleted, retention);
            }
            return deleted;
        } catch (SQLException | RuntimeException e) {
            log.warn("Event log: cannot delete old events: {}", e.toString());
            return 0;
        }
    }

    @Override
    public void close() {
        subscription.close();
        pruner.shutdownNow();
    }

    private void append(SessionEvent event) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO event_log (id, session_id, type, created_at, data) VALUES (?, ?, ?, ?, ?::json)")) {
            ps.setLong(1, event.sequence());
            ps.setString(2, event.sessionId());
            ps.setString(3, event.type().wireName());
            ps.setObject(4, OffsetDateTime.ofInstant(event.timestamp(), ZoneOffset.UTC));
            ps.setString(5, json.writeValueAsString(event.data()));
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            // never the data: it may hold message text
            log.error(
                    "Event log: cannot store event {} ({}) of session {}: {}",
                    event.id(),
                    event.type().wireName(),
                    event.sessionId(),
                    e.toString());
        }
    }

    private long lastId() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM event_log")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the event log: " + e.getMessage(), e);
        }
    }
}
