package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class FileSessionStateStoreTest {

    @TempDir
    Path root;

    @Test
    void savesLoadsListsAndDeletesSessionJsonBesideTheCredentials() throws IOException {
        FileSessionStateStore states =
                new FileSessionStateStore(root, JsonMapper.builder().build());
        StoredSession a =
                new StoredSession("a", "native", "51987654321", "file", true, Instant.parse("2026-11-25T10:00:00Z"));
        StoredSession b = new StoredSession("b", "native", null, "file", false, Instant.parse("2026-11-25T10:00:01Z"));
        states.save(a);
        states.save(b);
        // Unreadable or mismatched files are skipped, not fatal.
        Files.createDirectories(root.resolve("sessions/broken"));
        Files.writeString(root.resolve("sessions/broken/session.json"), "{not json");
        Files.createDirectories(root.resolve("sessions/moved"));
        Files.copy(root.resolve("sessions/a/session.json"), root.resolve("sessions/moved/session.json"));

        assertThat(states.loadAll()).containsExactly(a, b);
        assertThat(states.load("a")).hasValue(a);
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(root.resolve("sessions/a/session.json"))))
                .isEqualTo("rw-------");

        states.delete("a");

        assertThat(root.resolve("sessions/a")).doesNotExist();
        assertThat(states.load("a")).isEmpty();
    }
}
