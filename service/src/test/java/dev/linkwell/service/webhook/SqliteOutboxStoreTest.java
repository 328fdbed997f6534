package dev.linkwell.service.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.storage.StorageRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxStoreTest extends OutboxStoreContract {

    @TempDir
    Path root;

    @Override
    OutboxStore open() throws Exception {
        return SqliteOutboxStore.open(new StorageRoot(root));
    }

    @Test
    void theFileIsPrivate() throws Exception {
        try (OutboxStore store = open()) {
            store.append(List.of(row(ONE, "s1", "1")), 1000);
        }
        Path file = root.resolve("webhooks/outbox.db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void aSecondServiceOnTheSameRootCannotOpenIt() throws Exception {
        try (OutboxStore first = open()) {
            first.append(List.of(row(ONE, "s1", "1")), 1000);

            assertThatThrownBy(() -> open().close()).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void compactionGivesTheSpaceBack() throws Exception {
        Path file = root.resolve("webhooks/outbox.db");
        try (OutboxStore store = open()) {
            byte[] big = new byte[4096];
            Arrays.fill(big, (byte) 'x');
            List<OutboxStore.NewDelivery> rows = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                rows.add(new OutboxStore.NewDelivery(ONE, "s" + (i % 10), Integer.toString(i), "session.message", big));
            }
            store.append(rows, 1000);
            store.compact(0);
            long full = Files.size(file);
            while (!store.dueHeads(1000).isEmpty()) {
                for (OutboxStore.Head head : store.dueHeads(1000)) {
                    store.delivered(head.id());
                }
            }

            store.compact(5000);

            assertThat(store.stats()).isEqualTo(new OutboxStore.Stats(0, null, 0));
            assertThat(Files.size(file))
                    .as("file shrinks after the backlog is gone")
                    .isLessThan(full / 10);
            Path wal = file.resolveSibling("outbox.db-wal");
            assertThat(Files.exists(wal) ? Files.size(wal) : 0)
                    .as("write-ahead log truncated")
                    .isZero();
        }
    }
}
