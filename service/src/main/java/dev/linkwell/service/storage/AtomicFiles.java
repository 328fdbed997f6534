package dev.linkwell.service.storage;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Crash-safe file primitives. A write goes to a temp file in the target's folder, is fsynced, renamed
 * over the target in one atomic step, and the folder is fsynced so the rename itself survives a power
 * loss. Temp files start with a dot and end in {@code .tmp}; readers ignore them and
 * {@link #removeLeftovers} deletes them.
 */
final class AtomicFiles {

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String TRASH_SUFFIX = ".trash";

    private AtomicFiles() {}

    static void write(Path target, byte[] data) throws IOException {
        Path dir = target.getParent();
        createPrivateDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = open(temp)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        fsyncDirectory(dir);
    }

    /** Creates the folder and any missing parents with mode 0700. */
    static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createPrivateDirectories(dir.getParent());
        try {
            if (POSIX) {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return;
        }
        fsyncDirectory(dir.getParent());
    }

    /**
     * Removes a folder tree so that a crash half-way never leaves a partial tree under the old name:
     * the folder is first renamed to a hidden trash name, then deleted.
     */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Path trash = dir.resolveSibling("." + dir.getFileName() + "." + UUID.randomUUID() + TRASH_SUFFIX);
        Files.move(dir, trash, ATOMIC_MOVE);
        fsyncDirectory(dir.getParent());
        deleteRecursively(trash);
    }

    static void deleteFile(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            fsyncDirectory(file.getParent());
        }
    }

    static boolean isLeftover(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") && (name.endsWith(TEMP_SUFFIX) || name.endsWith(TRASH_SUFFIX));
    }

    /** Deletes temp files and half-deleted trees left in {@code dir} by a crash. */
    static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(AtomicFiles::isLeftover).toList()) {
                deleteRecursively(entry);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static FileChannel open(Path temp) throws IOException {
        if (POSIX) {
            FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return FileChannel.open(temp, java.util.Set.of(CREATE_NEW, WRITE), mode);
        }
        return FileChannel.open(temp, CREATE_NEW, WRITE);
    }

    private static void fsyncDirectory(Path dir) {
        if (!POSIX) {
            return; // folders cannot be opened for fsync on Windows; NTFS journals renames itself
        }
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse fsync on a folder; the rename is still atomic there.
        }
    }
}
