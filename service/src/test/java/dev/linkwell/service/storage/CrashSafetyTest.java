package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.support.SigkilledChild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is rewriting credentials (SIGKILL, at a random moment, so often in the middle
 * of a write) and checks that a reload sees a complete version: the last one the writer confirmed or
 * the one it was writing. SIGKILL keeps the page cache, so this proves the temp-and-rename protocol,
 * not fsync against power loss.
 */
class CrashSafetyTest {

    @TempDir
    Path root;

    @RepeatedTest(4)
    void aReloadAfterAKillSeesTheOldOrTheNewCredentialsNeverATornOne() throws Exception {
        long confirmed = SigkilledChild.run(CrashingWriter.class, root, 20, 300);

        FileCredentialStore reloaded = new FileCredentialStore(root);
        long version = CrashingWriter.decode(reloaded.read("crash", "creds").orElseThrow());

        assertThat(version).isIn(confirmed, confirmed + 1);
        reloaded.removeLeftovers();
        try (Stream<Path> files = Files.list(root.resolve("sessions/crash/creds"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("creds"));
        }
    }

    @Test
    void theCheckCatchesATornBlob() {
        byte[] blob = CrashingWriter.encode(42);
        assertThat(CrashingWriter.decode(blob)).isEqualTo(42);
        assertThat(CrashingWriter.decode(Arrays.copyOf(blob, blob.length / 2))).isEqualTo(-1);
        blob[20] ^= 1;
        assertThat(CrashingWriter.decode(blob)).isEqualTo(-1);
    }
}
