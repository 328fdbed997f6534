package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.support.TestStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** Demo mode keeps the simulator's state (its root key, the phones' keys) under STORAGE_ROOT, private like the rest. */
class DemoModeStorageTest {

    @Test
    void aStorageRootCreatedInDemoModeIsPrivate() throws IOException {
        Path root = TestStorage.tempRoot("linkwell-demo").resolve("new-root");
        assertThat(root).doesNotExist();

        try (RunningService svc = RunningService.start(root)) {
            assertThat(svc.simulator()).isNotNull();
            assertThat(mode(root)).isEqualTo("rwx------");
            assertThat(mode(root.resolve("simulator"))).isEqualTo("rwx------");
        }
    }

    private static String mode(Path dir) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
    }
}
