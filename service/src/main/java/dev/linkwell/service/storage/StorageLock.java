package dev.linkwell.service.storage;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on {@code <STORAGE_ROOT>/lock}, held by the running service and by the key rotation
 * command, so the two never write credentials at the same time and two services never share a root. The
 * operating system releases it when the process ends, even by {@code kill -9}.
 */
public final class StorageLock implements AutoCloseable {

    public static final String FILE_NAME = "lock";
    /**
     * Lock files this JVM holds. Checked before opening the file, because closing a second channel on a
     * locked file can drop the process's lock on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StorageLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws IllegalStateException when another process (or another part of this one) holds it
     */
    public static StorageLock acquire(StorageRoot root) {
        Path file = root.path().resolve(FILE_NAME);
        if (!HELD.add(file)) {
            throw inUse(root, file);
        }
        FileChannel channel = null;
        try {
            AtomicFiles.createPrivateDirectories(root.path());
            StorageRoot.createPrivateFile(file);
            channel = FileChannel.open(file, CREATE, WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new StorageLock(file, channel, lock);
            }
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            HELD.remove(file);
            throw new UncheckedIOException(
                    "cannot lock " + file, e instanceof IOException io ? io : new IOException(e));
        }
        closeQuietly(channel);
        HELD.remove(file);
        throw inUse(root, file);
    }

    private static IllegalStateException inUse(StorageRoot root, Path file) {
        return new IllegalStateException("STORAGE_ROOT " + root.path()
                + " is in use by another Linkwell process (it holds " + file + "); stop it first");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD.remove(file);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing else to release
        }
    }
}
