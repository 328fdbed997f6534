package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVersionCacheTest {

    @TempDir
    Path parent;

    @Test
    void keepsTheTextInOnePrivateFileUnderTheRoot() throws IOException {
        Path root = parent.resolve("root");
        FileVersionCache cache = new FileVersionCache(root);
        assertThat(cache.read()).isEmpty();

        cache.write("version=2.3000.1\n");
        cache.write("version=2.3000.2\n");

        assertThat(cache.file()).isEqualTo(root.toAbsolutePath().resolve("wa-version"));
        assertThat(cache.read()).contains("version=2.3000.2\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files).containsExactly(cache.file()); // no temp file left behind
        }
    }

    @Test
    void aFileThatCannotBeOursIsAnError() throws IOException {
        FileVersionCache cache = new FileVersionCache(parent);
        Files.write(cache.file(), new byte[FileVersionCache.MAX_SIZE + 1]);
        assertThatThrownBy(cache::read).isInstanceOf(UncheckedIOException.class).hasMessageContaining("larger than");

        Files.write(cache.file(), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        assertThatThrownBy(cache::read).isInstanceOf(UncheckedIOException.class);
    }
}
