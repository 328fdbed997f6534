package dev.linkwell.service.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.events.EventType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every outbox backend keeps (docs/adr/0001-webhook-outbox-on-sqlite.md): per lane (endpoint and
 * session) only the first pending row is offered, a row waiting for its retry holds only its own lane, dead
 * letters leave their lane and come back first when retried, rows outlive the store instance, and compaction
 * drops only dead letters past the retention. Each subclass gives an empty outbox per test; row ids start at 1.
 */
abstract class OutboxStoreContract {

    static final WebhookEndpoint ONE =
            WebhookEndpoint.global(URI.create("http://127.0.0.1:1/a"), Set.of(), "s-0123456789abcdef");
    static final WebhookEndpoint TWO =
            WebhookEndpoint.ofSession("s2", URI.create("http://127.0.0.1:2/b"), Set.of(EventType.QR), null);

    /** Opens the outbox of this test; a second call opens it again (after the first was closed). */
    abstract OutboxStore open() throws Exception;

    @Test
    void eachLaneOffersOnlyItsFirstPendingRow() throws Exception {
        try (OutboxStore store = open()) {
            store.append(List.of(row(ONE, "s1", "1"), row(ONE, "s2", "2"), row(TWO, "s2", "3")), 1000);
            store.append(List.of(row(ONE, "s1", "4"), row(ONE, "s1", "5")), 1001);

            List<OutboxStore.Head> heads = store.dueHeads(2000);
            assertThat(heads).extracting(h -> eventId(store, h)).containsExactlyInAnyOrder("1", "2", "3");

            store.delivered(heads.stream()
                    .filter(h -> eventId(store, h).equals("1"))
                    .findFirst()
                    .orElseThrow()
                    .id());
            assertThat(store.dueHeads(2000))
                    .extracting(h -> eventId(store, h))
                    .containsExactlyInAnyOrder("4", "2", "3");
        }
    }

    @Test
    void aRowWaitingForItsRetryHoldsItsLaneButNoOther() throws Exception {
        try (OutboxStore store = open()) {
            store.append(List.of(row(ONE, "s1", "1"), row(ONE, "s1", "2"), row(ONE, "s2", "3")), 1000);
            long first = idOf(store, "1");

            store.retryLater(first, 1, 5000, 503, "HTTP 503");

            assertThat(store.dueHeads(2000)).extracting(h -> eventId(store, h)).containsExactly("3");
            assertThat(store.nextDueAfter(2000)).hasValue(5000L);
            assertThat(store.dueHeads(5000)).extracting(h -> eventId(store, h)).containsExactlyInAnyOrder("1", "3");
            assertThat(store.find(first).orElseThrow()).satisfies(d -> {
                assertThat(d.attempts()).isEqualTo(1);
                assertThat(d.lastStatus()).isEqualTo(503);
                assertThat(d.lastError()).isEqualTo("HTTP 503");
            });
        }
    }

    @Test
    void deadLettersLeaveTheLaneAndComeBackFirstWhenRetried() throws Exception {
        try (OutboxStore store = open()) {
            store.append(List.of(row(ONE, "s1", "1"), row(ONE, "s1", "2")), 1000);
            long first = idOf(store, "1");

            store.dead(first, 16, 3000, 410, "HTTP 410");

            assertThat(store.dueHeads(4000)).extracting(h -> eventId(store, h)).containsExactly("2");
            assertThat(store.deadLetters(null, 10))
                    .extracting(Delivery::eventId)
                    .containsExactly("1");
            assertThat(store.deadLetters("s1", 10)).hasSize(1);
            assertThat(store.deadLetters("s2", 10)).isEmpty();
            assertThat(store.stats()).isEqualTo(new OutboxStore.Stats(1, 1000L, 1));

            assertThat(store.redeliver(first, 5000)).isTrue();
            assertThat(store.redeliver(first, 5000))
                    .as("no longer a dead letter")
                    .isFalse();
            assertThat(store.dueHeads(5000)).extracting(h -> eventId(store, h)).containsExactly("1");
            assertThat(store.find(first).orElseThrow().attempts()).isZero();
        }
    }

    @Test
    void rowsOutliveTheStoreInstance() throws Exception {
        try (OutboxStore store = open()) {
            store.append(List.of(row(ONE, "s1", "1")), 1000);
        }
        try (OutboxStore store = open()) {
            Delivery delivery = store.find(store.dueHeads(1000).getFirst().id()).orElseThrow();
            assertThat(delivery.eventId()).isEqualTo("1");
            assertThat(delivery.secret()).isEqualTo("s-0123456789abcdef");
            assertThat(delivery.url()).isEqualTo("http://127.0.0.1:1/a");
            assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"1\"}");
            store.check();
        }
    }

    @Test
    void compactionDropsOnlyDeadLettersPastTheRetention() throws Exception {
        try (OutboxStore store = open()) {
            store.append(List.of(row(ONE, "old", "old"), row(ONE, "new", "new"), row(ONE, "pending", "pending")), 1000);
            store.dead(idOf(store, "old"), 16, 2000, 500, "HTTP 500");
            store.dead(idOf(store, "new"), 16, 9000, 500, "HTTP 500");

            assertThat(store.compact(5000)).isEqualTo(1);

            assertThat(store.deadLetters(null, 10))
                    .extracting(Delivery::eventId)
                    .containsExactly("new");
            assertThat(store.stats()).isEqualTo(new OutboxStore.Stats(1, 1000L, 1));
        }
    }

    static OutboxStore.NewDelivery row(WebhookEndpoint endpoint, String sessionId, String eventId) {
        return new OutboxStore.NewDelivery(
                endpoint,
                sessionId,
                eventId,
                "session.qr",
                ("{\"id\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static String eventId(OutboxStore store, OutboxStore.Head head) {
        try {
            return store.find(head.id()).orElseThrow().eventId();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static long idOf(OutboxStore store, String eventId) throws SQLException {
        for (long id = 1; id < 10_000; id++) {
            if (store.find(id).map(d -> d.eventId().equals(eventId)).orElse(false)) {
                return id;
            }
        }
        throw new AssertionError("no row for event " + eventId);
    }
}
