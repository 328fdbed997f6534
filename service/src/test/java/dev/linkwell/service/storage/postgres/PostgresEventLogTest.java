package dev.linkwell.service.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.events.EventProperties;
import dev.linkwell.service.events.SessionEvent;
import dev.linkwell.service.support.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PostgresEventLogTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void logsEveryEventWithTheBusIdAndABusOnTheSameDatabaseContinuesAfterIt() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        Clock later = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
        List<SessionEvent> published = new ArrayList<>();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", "héllo \"quoted\"");
        data.put("n", 3);
        try (PostgresDatabase database = PostgresDatabase.open(db.settings())) {
            EventBus bus = new EventBus(new EventProperties(10, Duration.ofSeconds(15)), later);
            try (PostgresEventLog log = new PostgresEventLog(database, bus, JSON, later, Duration.ofDays(1))) {
                published.add(bus.publish("s1", new EventData.Message(data)));
                published.add(bus.publish("s2", new EventData.Qr("2@abc")));
            }
            assertThat(rows(db, "SELECT id || ' ' || session_id || ' ' || type FROM event_log ORDER BY id"))
                    .containsExactly(
                            published.get(0).id() + " s1 session.message",
                            published.get(1).id() + " s2 session.qr");
            String stored = rows(db, "SELECT data::text FROM event_log WHERE session_id = 's1'")
                    .getFirst();
            assertThat(JSON.readValue(stored, Map.class)).isEqualTo(data);

            // a process whose clock is behind the last run's: ids still grow past what the log holds
            Clock earlier = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
            EventBus restarted = new EventBus(new EventProperties(10, Duration.ofSeconds(15)), earlier);
            try (PostgresEventLog log = new PostgresEventLog(database, restarted, JSON, earlier, Duration.ofDays(1))) {
                SessionEvent next = restarted.publish("s1", new EventData.Open(null));
                assertThat(next.sequence()).isGreaterThan(published.get(1).sequence());
            }
        }
    }

    @Test
    void pruningDropsEventsOlderThanTheRetention() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        try (PostgresDatabase database = PostgresDatabase.open(db.settings())) {
            Clock old = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
            EventBus bus = new EventBus(new EventProperties(10, Duration.ofSeconds(15)), old);
            try (PostgresEventLog log = new PostgresEventLog(database, bus, JSON, old, Duration.ofDays(1))) {
                bus.publish("s1", new EventData.Qr("2@old"));
            }
            Clock now = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);
            EventBus current = new EventBus(new EventProperties(10, Duration.ofSeconds(15)), now);
            try (PostgresEventLog log = new PostgresEventLog(database, current, JSON, now, Duration.ofDays(1))) {
                current.publish("s1", new EventData.Qr("2@new"));
                log.prune();
            }
            assertThat(rows(db, "SELECT data->>'qr' FROM event_log")).containsExactly("2@new");
        }
    }

    private static List<String> rows(PostgresServer.TestDatabase db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
