package dev.linkwell.service.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.events.EventType;
import dev.linkwell.service.storage.StorageRoot;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxStoreTest {

    private static final WebhookEndpoint ONE = WebhookEndpoint.global(URI.create("http://127.0.0.1:1/a"), Set.of(), "s-0123456789abcdef");
    private static final WebhookEndpoint TWO = WebhookEndpoint.ofSession("s2", URI.create("http://127.0.0.1:2/b"),
        Set.of(EventType.QR), null);

    @TempDir
    Path root;

    @Test
    void eachLaneOffersOnlyItsFirstPendingRow() throws Exception {
        try (OutboxStore store = OutboxStore.open(new StorageRoot(root))) {
            store.append(List.of(row(ONE, "s1", "1"), row(ONE, "s2", "2"), row(TWO, "s2", "3")), 1000);
            store.append(List.of(row(ONE, "s1", "4"), row(ONE, "s1", "5")), 1001);

            List<OutboxStore.Head> heads = store.dueHeads(2000);
            assertThat(heads).extracting(h -> eventId(store, h)).containsExactlyInAnyOrder("1", "2", "3");

            store.delivered(heads.stream().filter(h -> eventId(store, h).equals("1")).findFirst().orElseThrow().id());
            assertThat(store.dueHeads(2000)).extracting(h -> eventId(store, h)).containsExactlyInAnyOrder("4", "2", "3");
        }
    }

    @Test
    void aRowWaitingForItsRetryHoldsItsLaneButNoOther() throws Exception {
        try (OutboxStore store = OutboxStore.open(new StorageRoot(root))) {
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
        try (OutboxStore store = OutboxStore.open(new StorageRoot(root))) {
            store.append(List.of(row(ONE, "s1", "1"), row(ONE, "s1", "2")), 1000);
            long first = idOf(store, "1");

            store.dead(first, 16, 3000, 410, "HTTP 410");

            assertThat(store.dueHeads(4000)).extracting(h -> eventId(store, h)).containsExactly("2");
            assertThat(store.deadLetters(null, 10)).extracting(Delivery::eventId).containsExactly("1");
            assertThat(store.deadLetters("s1", 10)).hasSize(1);
            assertThat(store.deadLetters("s2", 10)).isEmpty();
            assertThat(store.stats()).isEqualTo(new OutboxStore.Stats(1, 1000L, 1));

            assertThat(store.redeliver(first, 5000)).isTrue();
            assertThat(store.redeliver(first, 5000)).as("no longer a dead letter").isFalse();
            assertThat(store.dueHeads(5000)).extracting(h -> eventId(store, h)).containsExactly("1");
            assertThat(store.find(first).orElseThrow().attempts()).isZero();
        }
    }

    @Test
    void rowsSurviveClosingAndTheFileIsPrivate() throws Exception {
        try (OutboxStore store = OutboxStore.open(new StorageRoot(root))) {
            store.append(List.of(row(ONE, "s1", "1")), 1000);
        }
        try (OutboxStore store = OutboxStore.open(new StorageRoot(root))) {
            Delivery delivery = store.find(store.dueHeads(1000).getFirst().id()).orElseThrow();
            assertThat(delivery.eventId()).isEqualTo("1");
            assertThat(delivery.secret()).isEqualTo("s-0123456789abcdef");
            assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"1\"}");
        }
        Path file = root.resolve("webhooks/outbox.db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aSecondServiceOnTheSameRootCannotOpenIt() throws Exception {
        try (OutboxStore first = OutboxStore.open(new StorageRoot(root))) {
            first.append(List.of(row(ONE, "s1", "1")), 1000);

            assertThatThrownBy(() -> OutboxStore.open(new StorageRoot(root)).close()).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void compactionDropsOldDeadLettersAndGivesTheSpaceBack() throws Exception {
        Path file = root.resolve("webhooks/outbox.db");
        try (OutboxStore store = OutboxStore.open(new StorageRoot(root))) {
            byte[] big = new byte[4096];
            Arrays.fill(big, (byte) 'x');
            List<OutboxStore.NewDelivery> rows = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                rows.add(new OutboxStore.NewDelivery(ONE, "s" + (i % 10), Integer.toString(i), "session.message", big));
            }
            store.append(rows, 1000);
            store.append(List.of(row(ONE, "old", "old"), row(ONE, "new", "new")), 1000);
            store.dead(idOf(store, "old"), 16, 2000, 500, "HTTP 500");
            store.dead(idOf(store, "new"), 16, 9000, 500, "HTTP 500");
            store.compact(0);
            long full = Files.size(file);
            for (OutboxStore.Head head : store.dueHeads(1000)) {
                store.delivered(head.id());
            }
            while (!store.dueHeads(1000).isEmpty()) {
                for (OutboxStore.Head head : store.dueHeads(1000)) {
                    store.delivered(head.id());
                }
            }

            int dropped = store.compact(5000);

            assertThat(dropped).isEqualTo(1);
            assertThat(store.deadLetters(null, 10)).extracting(Delivery::eventId).containsExactly("new");
            assertThat(store.stats()).isEqualTo(new OutboxStore.Stats(0, null, 1));
            assertThat(Files.size(file)).as("file shrinks after the backlog is gone").isLessThan(full / 10);
            Path wal = file.resolveSibling("outbox.db-wal");
            assertThat(Files.exists(wal) ? Files.size(wal) : 0).as("write-ahead log truncated").isZero();
        }
    }

    private static OutboxStore.NewDelivery row(WebhookEndpoint endpoint, String sessionId, String eventId) {
        return new OutboxStore.NewDelivery(endpoint, sessionId, eventId, "session.qr",
            ("{\"id\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static String eventId(OutboxStore store, OutboxStore.Head head) {
        try {
            return store.find(head.id()).orElseThrow().eventId();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static long idOf(OutboxStore store, String eventId) throws SQLException {
        for (long id = 1; id < 10_000; id++) {
            if (store.find(id).map(d -> d.eventId().equals(eventId)).orElse(false)) {
                return id;
            }
        }
        throw new AssertionError("no row for event " + eventId);
    }
}
