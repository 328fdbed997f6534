package dev.linkwell.service.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The storage root ({@code STORAGE_ROOT}) for parts other than sessions: private folders beside
 * {@code sessions/} and a writability probe for the readiness check.
 */
public class StorageRoot {

    private static final Pattern FOLDER = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final String PROBE = "probe";

    private final Path root;

    public StorageRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path path() {
        return root;
    }

    /** {@code <root>/<name>}, created with mode 0700 (and the root too) when missing. */
    public Path privateFolder(String name) throws IOException {
        if (!FOLDER.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid folder name");
        }
        Path dir = root.resolve(name);
        AtomicFiles.createPrivateDirectories(dir);
        return dir;
    }

    /** Creates an empty file with mode 0600 unless it exists, so tools that create files with the umask do not. */
    public static void createPrivateFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            // someone else created it; fine
        }
    }

    /**
     * Proves the root takes writes the way credentials are written: an atomic, fsynced write of a small
     * file in {@code <root>/health/}, read back, then deleted.
     *
     * @throws IOException when any step fails (disk full, read-only mount, wrong owner, ...)
     */
    public void checkWritable() throws IOException {
        Path file = privateFolder("health").resolve(PROBE);
        byte[] marker = Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        AtomicFiles.write(file, marker);
        if (!Arrays.equals(Files.readAllBytes(file), marker)) {
            throw new IOException("the probe file read back differently");
        }
        AtomicFiles.deleteFile(file);
    }
}
