package dev.linkwell.simulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Saves and loads {@link SimulatorState} as {@code simulator-state.json} in a folder. A save writes a temp
 * file in the same folder, forces it to disk, renames it over the old file atomically and forces the folder,
 * so a crash leaves either the old or the new state, never a torn file. The file holds private keys, so it is
 * created rw------- and a folder created here rwx------.
 */
public final class StateStore {

    public static final String FILE_NAME = "simulator-state.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public StateStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    public synchronized void save(SimulatorState state) {
        try {
            createPrivateDirectory();
            byte[] bytes = JSON.writeValueAsBytes(state);
            // the state holds the root and account private keys: owner-only, whatever the umask
            Path tmp = Files.createTempFile(
                    dir,
                    FILE_NAME,
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (FileChannel ch =
                        FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save simulator state to " + file(), e);
        }
    }

    public synchronized Optional<SimulatorState> load() {
        Path f = file();
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), SimulatorState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator state " + f, e);
        }
    }

    /** Creates the folder (and missing parents) as rwx------; an existing folder is left as it is. */
    private void createPrivateDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // created by someone else in between; keep theirs
        }
    }

    private void forceDirectory() {
        // Not every platform lets a directory be opened for force(); a failure here is not fatal.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
