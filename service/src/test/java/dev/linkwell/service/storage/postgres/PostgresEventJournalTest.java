package dev.linkwell.service.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.EventGap;
import dev.linkwell.service.events.EventProperties;
import dev.linkwell.service.events.SessionEvent;
import dev.linkwell.service.storage.FencedException;
import dev.linkwell.service.support.PostgresServer;
import dev.linkwell.service.support.TestFence;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event log as the journal several nodes' buses share: ids from the database in one order, every bus delivering
 * every node's events in that order, the data as written, a replay from a bus that started later, nothing stored
 * for a node that lost the lease, pruning.
 */
class PostgresEventJournalTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One node's bus on the shared log. */
    private record Node(
            EventBus bus,
            PostgresNotifications notifications,
            PostgresEventJournal journal,
            List<SessionEvent> received)
            implements AutoCloseable {

        static Node start(PostgresDatabase database, Fence fence, int buffer) {
            EventBus bus = new EventBus(new EventProperties(buffer, Duration.ofSeconds(15)), Clock.systemUTC());
            PostgresNotifications notifications = new PostgresNotifications(database, Duration.ofMillis(200));
            PostgresEventJournal journal = new PostgresEventJournal(
                    database, bus, JSON, Clock.systemUTC(), Duration.ofDays(1), fence, buffer, notifications);
            List<SessionEvent> received = new CopyOnWriteArrayList<>();
            bus.subscribe(EventFilter.ALL, received::add);
            notifications.start();
            return new Node(bus, notifications, journal, received);
        }

        List<String> ids() {
            return received.stream().map(SessionEvent::id).toList();
        }

        @Override
        public void close() {
            notifications.close();
            journal.close();
        }
    }

    @Test
    void everyBusDeliversEveryNodesEventsInOneOrderWithTheirDataAsWritten() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", "héllo \"quoted\"");
        data.put("n", 3);
        try (PostgresDatabase database = PostgresDatabase.open(db.settings());
                Node a = Node.start(database, new TestFence(database), 50);
                Node b = Node.start(database, new TestFence(database), 50)) {
            List<SessionEvent> published = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                published.add(a.bus().publish("on-a", new EventData.Message(Map.of("i", i))));
                published.add(b.bus().publish("on-b", new EventData.Qr("2@" + i)));
            }
            published.add(a.bus().publish("on-a", new EventData.Message(data)));
            List<String> ids = published.stream().map(SessionEvent::id).toList();
            assertThat(published).extracting(SessionEvent::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(published.getFirst().sequence())
                    .as("ids go on from the clock-seeded ones")
                    .isGreaterThan(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000);

            Awaitility.await()
                    .atMost(WAIT)
                    .until(() ->
                            a.received().size() == ids.size() && b.received().size() == ids.size());
            assertThat(a.ids())
                    .as("node a's bus: both nodes' events, in id order")
                    .isEqualTo(ids);
            assertThat(b.ids()).as("node b's bus: the same").isEqualTo(ids);
            SessionEvent last = b.received().getLast();
            assertThat(last.sessionId()).isEqualTo("on-a");
            assertThat(last.timestamp()).isEqualTo(published.getLast().timestamp());
            assertThat(JSON.writeValueAsString(last))
                    .as("the envelope another node sends")
                    .isEqualTo(JSON.writeValueAsString(published.getLast()));
            assertThat(JSON.readValue(
                            rows(db, "SELECT data::text FROM event_log ORDER BY id DESC LIMIT 1")
                                    .getFirst(),
                            Map.class))
                    .isEqualTo(data);
        }
    }

    @Test
    void aBusStartedLaterReplaysAfterAnotherNodesLastEventIdAndSaysWhatIsGone() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        try (PostgresDatabase database = PostgresDatabase.open(db.settings())) {
            List<SessionEvent> published = new ArrayList<>();
            try (Node a = Node.start(database, new TestFence(database), 5)) {
                for (int i = 0; i < 8; i++) {
                    published.add(a.bus().publish("s1", new EventData.Qr("2@" + i)));
                }
            }
            try (Node late = Node.start(database, new TestFence(database), 5)) {
                List<SessionEvent> replayed = new ArrayList<>();
                List<EventGap> gaps = new ArrayList<>();
                late.bus().subscribe(EventFilter.ALL, published.get(4).sequence(), replayed::add, gaps::add);
                assertThat(gaps).isEmpty();
                assertThat(replayed)
                        .extracting(SessionEvent::id)
                        .containsExactly(
                                published.get(5).id(),
                                published.get(6).id(),
                                published.get(7).id());

                late.bus().subscribe(EventFilter.ALL, published.get(1).sequence(), e -> {}, gaps::add);
                assertThat(gaps).singleElement().satisfies(gap -> {
                    assertThat(gap.data().lastEventId())
                            .isEqualTo(published.get(1).id());
                    assertThat(gap.data().oldestEventId())
                            .isEqualTo(published.get(3).id());
                });
            }
        }
    }

    @Test
    void aNodeThatLostTheLeaseStoresNothingAndHearsOfIt() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        try (PostgresDatabase database = PostgresDatabase.open(db.settings())) {
            TestFence owner = new TestFence(database);
            List<String> lost = new CopyOnWriteArrayList<>();
            Fence stale = new Fence() {
                @Override
                public String node() {
                    return "paused-node";
                }

                @Override
                public Optional<Lease> lease(String sessionId) {
                    return Optional.of(new Lease("paused-node", 7));
                }

                @Override
                public void lost(String sessionId, Lease lease) {
                    lost.add(sessionId + "@" + lease.epoch());
                }
            };
            try (Node current = Node.start(database, owner, 10);
                    Node paused = Node.start(database, stale, 10)) {
                SessionEvent kept = current.bus().publish("s1", new EventData.Open("1@s.whatsapp.net"));
                assertThatThrownBy(() -> paused.bus()
                                .publish(
                                        "s1", new EventData.Closed(new EventData.Cause("moved", null, null, Map.of()))))
                        .isInstanceOf(FencedException.class);
                assertThat(lost).containsExactly("s1@7");
                Awaitility.await().atMost(WAIT).until(() -> paused.received().size() == 1);
                assertThat(paused.ids()).containsExactly(kept.id());
                assertThat(rows(db, "SELECT type FROM event_log")).containsExactly("session.status");
            }
        }
    }

    @Test
    void pruningDropsEventsOlderThanTheRetention() throws Exception {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        try (PostgresDatabase database = PostgresDatabase.open(db.settings())) {
            Clock old = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
            Clock now = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);
            EventBus bus = new EventBus(new EventProperties(10, Duration.ofSeconds(15)), old);
            try (PostgresNotifications notifications = new PostgresNotifications(database, Duration.ofSeconds(1));
                    PostgresEventJournal journal = new PostgresEventJournal(
                            database, bus, JSON, now, Duration.ofDays(1), new TestFence(database), 10, notifications)) {
                bus.publish("s1", new EventData.Qr("2@old"));
                journal.append("s1", new EventData.Qr("2@new"), now.instant());
                assertThat(journal.prune()).isEqualTo(1);
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
