package dev.linkwell.service.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** {@link SessionStateStore} in {@code <root>/sessions/<id>/session.json}, written atomically beside the credentials. */
public class FileSessionStateStore implements SessionStateStore {

    private static final Logger log = LoggerFactory.getLogger(FileSessionStateStore.class);
    public static final String BACKEND = "file";
    private static final String FILE = "session.json";

    private final SessionPaths paths;
    private final JsonMapper json;

    public FileSessionStateStore(Path root, JsonMapper json) {
        this.paths = new SessionPaths(root);
        this.json = json;
    }

    @Override
    public void save(StoredSession session) {
        Path file = paths.sessionDir(session.sessionId()).resolve(FILE);
        try {
            AtomicFiles.write(file, json.writeValueAsBytes(session));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save session " + session.sessionId(), e);
        }
    }

    @Override
    public Optional<StoredSession> load(String sessionId) {
        Path file = paths.sessionDir(sessionId).resolve(FILE);
        try {
            return Optional.of(read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JacksonException e) {
            log.warn("Ignoring unreadable {}: {}", file, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /**
     * Every readable session.json under the root, sorted by session id. One that cannot be read (a folder of
     * that name, no permission, not JSON, another session's file) is skipped with an error naming it, so one
     * bad file never keeps the service from starting.
     */
    @Override
    public List<StoredSession> loadAll() {
        Path sessions = paths.sessionsDir();
        if (!Files.isDirectory(sessions)) {
            return List.of();
        }
        List<StoredSession> all = new ArrayList<>();
        try (Stream<Path> entries = Files.list(sessions)) {
            for (String id : entries.map(p -> p.getFileName().toString())
                    .filter(SessionPaths::isSessionId)
                    .sorted()
                    .toList()) {
                Path file = paths.sessionDir(id).resolve(FILE);
                try {
                    StoredSession stored = read(file);
                    if (stored.sessionId().equals(id)) {
                        all.add(stored);
                    } else {
                        log.error(
                                "Skipping session '{}': {} names session '{}'; move it back or delete it",
                                id,
                                file,
                                stored.sessionId());
                    }
                } catch (NoSuchFileException e) {
                    // a folder with credentials only (or nothing): not a session the service knows
                } catch (IOException e) {
                    log.error(
                            "Skipping session '{}': {} cannot be read ({}); fix or delete it", id, file, e.toString());
                } catch (JacksonException e) {
                    log.error(
                            "Skipping session '{}': {} is not valid ({}); fix or delete it",
                            id,
                            file,
                            e.getOriginalMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sessions", e);
        }
        return all;
    }

    private StoredSession read(Path file) throws IOException {
        StoredSession stored = json.readValue(Files.readAllBytes(file), StoredSession.class);
        if (stored == null || stored.sessionId() == null) {
            throw new IOException("no sessionId in it");
        }
        return stored;
    }

    /** Removes the whole session folder (with its API keys); callers purge the credentials first. */
    @Override
    public void delete(String sessionId) {
        try {
            AtomicFiles.deleteTree(paths.sessionDir(sessionId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete session " + sessionId, e);
        }
    }

    @Override
    public String backend() {
        return BACKEND;
    }
}
