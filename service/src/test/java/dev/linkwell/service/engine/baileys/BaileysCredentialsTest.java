package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.storage.FileCredentialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class BaileysCredentialsTest {

    @TempDir
    Path root;

    private final JsonMapper json = JsonMapper.builder().build();

    private BaileysCredentials credentials() {
        return new BaileysCredentials(new FileCredentialStore(root), "s1", json, new Object());
    }

    private Path blob(String name) {
        return root.resolve("sessions/s1/creds").resolve(name);
    }

    @Test
    void keysAreStoredAsSentReadBackAndDeletedEachInItsOwn0600Blob() throws Exception {
        BaileysCredentials c = credentials();
        Map<String, String> sessions = new LinkedHashMap<>();
        sessions.put("5511999999999.0", "{\"_sessions\":{}}");
        sessions.put("123456789012345_1.3", "{\"x\":{\"type\":\"Buffer\",\"data\":\"AQI=\"}}");
        c.set(Map.of("session", sessions));
        assertThat(c.get("session", List.of("5511999999999.0", "123456789012345_1.3", "absent")))
                .isEqualTo(sessions);
        Path file = blob(BaileysCredentials.blobName("session", "5511999999999.0"));
        assertThat(file.getFileName().toString()).isEqualTo("baileys.session.NTUxMTk5OTk5OTk5OS4w");
        assertThat(Files.readString(file)).isEqualTo("{\"_sessions\":{}}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");

        Map<String, String> delete = new HashMap<>();
        delete.put("5511999999999.0", null);
        c.set(Map.of("session", delete));
        assertThat(file).doesNotExist();
        assertThat(c.get("session", List.of("5511999999999.0"))).isEmpty();
    }

    @Test
    void prekeysLiveInOneBlob() {
        BaileysCredentials c = credentials();
        Map<String, String> batch = new LinkedHashMap<>();
        for (int i = 1; i <= 812; i++) {
            batch.put(Integer.toString(i), "{\"public\":\"" + i + "\"}");
        }
        c.set(Map.of("pre-key", batch));
        assertThat(blob(BaileysCredentials.PRE_KEYS)).isRegularFile();
        assertThat(c.get("pre-key", List.of("1", "812", "813")))
                .containsOnlyKeys("1", "812")
                .containsEntry("812", "{\"public\":\"812\"}");
        Map<String, String> used = new HashMap<>();
        used.put("1", null);
        c.set(Map.of("pre-key", used));
        assertThat(c.get("pre-key", List.of("1", "2"))).containsOnlyKeys("2");
    }

    @Test
    void credsAreCheckedToBeAJsonObject() throws Exception {
        BaileysCredentials c = credentials();
        assertThat(c.creds()).isEmpty();
        c.saveCreds("{\"me\":{\"id\":\"1@s.whatsapp.net\"}}");
        assertThat(c.creds()).contains("{\"me\":{\"id\":\"1@s.whatsapp.net\"}}");
        Files.writeString(blob(BaileysCredentials.CREDS), "{torn");
        assertThatThrownBy(c::creds).isInstanceOf(IllegalStateException.class).hasMessageContaining("not JSON");
    }

    @Test
    void anIdTooLongForABlobNameIsHashedAndStillFound() {
        BaileysCredentials c = credentials();
        String id = "120363012345678901@g.us::123456789012345:12@lid::" + "9".repeat(80);
        c.set(Map.of("sender-key", Map.of(id, "{}")));
        String name = BaileysCredentials.blobName("sender-key", id);
        assertThat(name).startsWith("baileys.sender-key..").hasSizeLessThanOrEqualTo(128);
        assertThat(c.get("sender-key", List.of(id))).containsEntry(id, "{}");
    }

    @Test
    void typesAndIdsThatCouldEscapeANameAreRefused() {
        BaileysCredentials c = credentials();
        assertThatThrownBy(() -> c.get("../creds", List.of("1"))).isInstanceOf(HostRequestException.class);
        assertThatThrownBy(() -> c.set(Map.of("Session", Map.of("1", "{}")))).isInstanceOf(HostRequestException.class);
        assertThatThrownBy(() -> c.get("session", List.of(""))).isInstanceOf(HostRequestException.class);
        // ids themselves are encoded, so any id is safe
        c.set(Map.of("session", Map.of("../../../etc/passwd", "{}")));
        assertThat(c.get("session", List.of("../../../etc/passwd"))).hasSize(1);
        assertThat(root.resolve("sessions/s1/creds"))
                .isDirectoryContaining(p -> p.getFileName()
                        .toString()
                        .equals(BaileysCredentials.blobName("session", "../../../etc/passwd")));
    }
}
