package dev.linkwell.service.storage.postgres;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.events.EventJournal;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.events.SessionEvent;
import dev.linkwell.service.storage.FencedException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code event_log} table as the event bus's shared journal (ADR 0015). A node appends each event it publishes
 * with an id from the {@code event_log_id} sequence, under this node's lease on the session ({@link Fence}), and
 * with a transaction-wide advisory lock taken first, so ids are committed in the order they are handed out: a
 * reader that saw id {@code n} will never later find one below it. Every node reads the log after the last id it
 * delivered, woken by {@code NOTIFY} on {@value #CHANNEL} and polling as a fallback, and delivers what it reads to
 * its bus in id order: SSE, WebSocket and every other subscriber of every node see every node's events in one order.
 * At start the bus gets the latest {@code bufferSize} events, so a {@code Last-Event-ID} from any node replays.
 * Events older than the retention are deleted every minute.
 */
public final class PostgresEventJournal implements EventJournal, AutoCloseable {

    /** The LISTEN/NOTIFY channel that says a new event is in the log. */
    public static final String CHANNEL = "linkwell_events";
    /** "LwEvents" in ASCII: the advisory lock that keeps appends in id order. */
    static final long APPEND_LOCK = 0x4C774576656E7473L;

    private static final Logger log = LoggerFactory.getLogger(PostgresEventJournal.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final int BATCH = 500;
    private static final String COLUMNS = "id, session_id, type, created_at, data";

    private final Jdbc jdbc;
    private final EventBus bus;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration retention;
    private final Fence fence;
    private final ScheduledExecutorService pruner;
    /** The last id read, delivered or skipped (an event type this version does not know). */
    private long readUpTo;

    /** Gives {@code bus} the latest {@code preload} events and makes it share this journal. */
    public PostgresEventJournal(
            PostgresDatabase database,
            EventBus bus,
            JsonMapper json,
            Clock clock,
            Duration retention,
            Fence fence,
            int preload,
            PostgresNotifications notifications) {
        this.jdbc = new Jdbc(database.dataSource());
        this.bus = bus;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
        this.fence = fence;
        List<SessionEvent> latest = latest(preload);
        bus.share(this, latest, !latest.isEmpty() && olderThan(latest.getFirst().sequence()));
        notifications.on(CHANNEL, payload -> readNew());
        notifications.poll(this::readNew);
        this.pruner = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("event-log-pruner").daemon().factory());
        pruner.scheduleWithFixedDelay(this::prune, 0, PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public SessionEvent append(String sessionId, EventData data, Instant timestamp) {
        String text = json.writeValueAsString(data);
        Fence.Lease lease = fence.require(sessionId);
        long id = jdbc.inTransaction("store an event of session " + sessionId, c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, APPEND_LOCK);
                lock.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("WITH fence AS (" + Fence.HOLD_SQL + "), "
                    + "appended AS (INSERT INTO event_log (" + COLUMNS + ") "
                    + "SELECT nextval('event_log_id'), ?, ?, ?, ?::json FROM fence RETURNING id) "
                    + "SELECT id, pg_notify('" + CHANNEL + "', '') FROM appended")) {
                Fence.bind(ps, 1, sessionId, lease);
                ps.setString(4, sessionId);
                ps.setString(5, data.type().wireName());
                ps.setObject(6, OffsetDateTime.ofInstant(timestamp, ZoneOffset.UTC));
                ps.setString(7, text);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            }
        });
        if (id < 0) {
            fence.lost(sessionId, lease);
            throw new FencedException(sessionId);
        }
        return new SessionEvent(Long.toString(id), data.type(), sessionId, timestamp, data);
    }

    /** Delivers to the bus what the log holds after the last event it had, in id order. */
    synchronized void readNew() {
        int read;
        do {
            long after = Math.max(bus.lastId(), readUpTo);
            List<SessionEvent> batch = new ArrayList<>();
            read = jdbc.run("read the event log", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM event_log WHERE id > ? ORDER BY id LIMIT " + BATCH)) {
                    ps.setLong(1, after);
                    return events(ps, batch);
                }
            });
            batch.forEach(bus::deliver);
        } while (read == BATCH);
    }

    /** Deletes events older than the retention; returns how many. */
    int prune() {
        try {
            int deleted = jdbc.run("delete old events", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_log WHERE created_at < ?")) {
                    ps.setObject(1, OffsetDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC));
                    return ps.executeUpdate();
                }
            });
            if (deleted > 0) {
                log.debug("Event log: deleted {} events older than {}", deleted, retention);
            }
            return deleted;
        } catch (RuntimeException e) {
            log.warn("Event log: cannot delete old events: {}", e.toString());
            return 0;
        }
    }

    @Override
    public void close() {
        pruner.shutdownNow();
    }

    private List<SessionEvent> latest(int count) {
        List<SessionEvent> newestFirst = new ArrayList<>();
        jdbc.run("read the event log", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM event_log ORDER BY id DESC LIMIT " + count)) {
                return events(ps, newestFirst);
            }
        });
        return newestFirst.reversed();
    }

    private boolean olderThan(long id) {
        return jdbc.run("read the event log", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM event_log WHERE id < ?)")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /** Adds the rows' events to {@code events}; returns how many rows there were. */
    private int events(PreparedStatement ps, List<SessionEvent> events) throws SQLException {
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows++;
                long id = rs.getLong(1);
                readUpTo = Math.max(readUpTo, id);
                EventType type = EventType.fromWireName(rs.getString(3)).orElse(null);
                if (type == null) {
                    log.warn("Event log: skipping event {} of unknown type {}", id, rs.getString(3));
                    continue;
                }
                events.add(new SessionEvent(
                        Long.toString(id),
                        type,
                        rs.getString(2),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        new EventData.Logged(type, json.readTree(rs.getString(5)))));
            }
        }
        return rows;
    }
}
