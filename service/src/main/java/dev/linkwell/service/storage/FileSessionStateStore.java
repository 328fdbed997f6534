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
            return Optional.of(json.readValue(Files.readAllBytes(file), StoredSession.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JacksonException e) {
            log.warn("Ignoring unreadable {}: {}", file, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /** Every readable session.json under the root, sorted by session id. */
    @Override
    public List<StoredSession> loadAll() {
        Path sessions = paths.sessionsDir();
        if (!Files.isDirectory(sessions)) {
            return List.of();
        }
        List<StoredSession> all = new ArrayList<>();
        try (Stream<Path> entries = Files.list(sessions)) {
            for (String id : entries.map(p -> p.getFileName().toString()).filter(SessionPaths::isSessionId).sorted().toList()) {
                load(id).filter(s -> s.sessionId().equals(id)).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sessions", e);
        }
        return all;
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
