package dev.linkwell.service.storage;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.Envelope;
import dev.linkwell.service.storage.crypto.KeyUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link CredentialStore} on the local file system: blob {@code name} of session {@code id} is the
 * file {@code <root>/sessions/<id>/creds/<name>} (mode 0600, folders 0700), written with
 * {@link AtomicFiles}. Holds raw records: {@link dev.linkwell.service.storage.crypto.EncryptingCredentialStore}
 * seals and opens them when a storage key is configured.
 */
public class FileCredentialStore implements CredentialBackend {

    private final SessionPaths paths;

    public FileCredentialStore(Path root) {
        this.paths = new SessionPaths(root);
    }

    @Override
    public Optional<byte[]> read(String sessionId, String name) {
        Path file = paths.blob(sessionId, name);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credential " + name + " of session " + sessionId, e);
        }
    }

    @Override
    public void write(String sessionId, String name, byte[] data) {
        Path file = paths.blob(sessionId, name);
        try {
            AtomicFiles.write(file, data.clone());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write credential " + name + " of session " + sessionId, e);
        }
    }

    @Override
    public void delete(String sessionId, String name) {
        try {
            AtomicFiles.deleteFile(paths.blob(sessionId, name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete credential " + name + " of session " + sessionId, e);
        }
    }

    @Override
    public List<String> names(String sessionId) {
        Path dir = paths.credentialsDir(sessionId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !AtomicFiles.isLeftover(p) && Files.isRegularFile(p))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list credentials of session " + sessionId, e);
        }
    }

    @Override
    public boolean exists(String sessionId) {
        return !names(sessionId).isEmpty();
    }

    @Override
    public void purge(String sessionId) {
        try {
            AtomicFiles.deleteTree(paths.credentialsDir(sessionId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge credentials of session " + sessionId, e);
        }
    }

    @Override
    public List<String> sessionIds() {
        Path sessions = paths.sessionsDir();
        if (!Files.isDirectory(sessions)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(sessions)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(SessionPaths::isSessionId)
                    .filter(this::exists)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sessions", e);
        }
    }

    @Override
    public KeyUsage keyUsage() {
        KeyUsage.Counter counter = new KeyUsage.Counter();
        for (String sessionId : sessionIds()) {
            for (String name : names(sessionId)) {
                try (InputStream in = Files.newInputStream(paths.blob(sessionId, name))) {
                    counter.add(in.readNBytes(Envelope.HEADER_LENGTH));
                } catch (NoSuchFileException deletedMeanwhile) {
                    // gone: nothing to count
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read credential " + name + " of session " + sessionId, e);
                }
            }
        }
        return counter.result();
    }

    /**
     * Compares and writes in two steps: safe only while no one else writes, which the storage lock
     * ({@link StorageLock}) makes sure of for the rotation command.
     */
    @Override
    public boolean replace(String sessionId, String name, byte[] expected, byte[] replacement) {
        Optional<byte[]> current = read(sessionId, name);
        if (current.isEmpty() || !Arrays.equals(current.get(), expected)) {
            return false;
        }
        write(sessionId, name, replacement);
        return true;
    }

    @Override
    public String describe() {
        return paths.sessionsDir().toString();
    }

    /** Deletes what a crash may have left behind: temp files and half-deleted folders. */
    public void removeLeftovers() {
        Path sessions = paths.sessionsDir();
        if (!Files.isDirectory(sessions)) {
            return;
        }
        try {
            AtomicFiles.removeLeftovers(sessions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up the storage root", e);
        }
        try (Stream<Path> entries = Files.list(sessions)) {
            for (Path dir : entries.filter(
                            p -> SessionPaths.isSessionId(p.getFileName().toString()))
                    .toList()) {
                AtomicFiles.removeLeftovers(dir);
                AtomicFiles.removeLeftovers(dir.resolve("creds"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up the storage root", e);
        }
    }
}
