package dev.linkwell.service.storage;

import dev.linkwell.client.version.VersionCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link VersionCache} in the file {@code <root>/wa-version} (mode 0600, written with {@link AtomicFiles}),
 * where the native engine keeps the WhatsApp Web version it fetched, so that restarts within a day fetch
 * nothing.
 */
public final class FileVersionCache implements VersionCache {

    public static final String FILE_NAME = "wa-version";
    /** The cache is a few lines; a larger file is not ours. */
    static final int MAX_SIZE = 4096;

    private final Path file;

    public FileVersionCache(Path root) {
        this.file = root.toAbsolutePath().normalize().resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<String> read() {
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new UncheckedIOException(new IOException(file + " is larger than " + MAX_SIZE + " bytes"));
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void write(String text) {
        try {
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
