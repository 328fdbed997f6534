package dev.linkwell.service.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link SessionKeyStore} in {@code <root>/sessions/<id>/api-keys.json} (0600, written atomically), so
 * deleting the session folder revokes the keys with it.
 */
public class FileSessionKeyStore implements SessionKeyStore {

    private static final Logger log = LoggerFactory.getLogger(FileSessionKeyStore.class);
    private static final String FILE = "api-keys.json";
    private static final TypeReference<List<StoredKey>> LIST = new TypeReference<>() {};

    private final SessionPaths paths;
    private final JsonMapper json;

    public FileSessionKeyStore(Path root, JsonMapper json) {
        this.paths = new SessionPaths(root);
        this.json = json;
    }

    @Override
    public List<StoredKey> load(String sessionId) {
        Path file = paths.sessionDir(sessionId).resolve(FILE);
        try {
            return List.copyOf(json.readValue(Files.readAllBytes(file), LIST));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API keys of session " + sessionId, e);
        } catch (JacksonException e) {
            log.warn("Ignoring unreadable {}: {}", file, e.getOriginalMessage());
            return List.of();
        }
    }

    /** Replaces the session's keys; an empty list deletes the file. */
    @Override
    public void save(String sessionId, List<StoredKey> keys) {
        Path file = paths.sessionDir(sessionId).resolve(FILE);
        try {
            if (keys.isEmpty()) {
                AtomicFiles.deleteFile(file);
            } else {
                AtomicFiles.write(file, json.writeValueAsBytes(keys));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the API keys of session " + sessionId, e);
        }
    }

    @Override
    public Map<String, List<StoredKey>> loadAll() {
        Path sessions = paths.sessionsDir();
        Map<String, List<StoredKey>> all = new LinkedHashMap<>();
        if (!Files.isDirectory(sessions)) {
            return all;
        }
        try (Stream<Path> entries = Files.list(sessions)) {
            for (String id : entries.map(p -> p.getFileName().toString())
                    .filter(SessionPaths::isSessionId)
                    .sorted()
                    .toList()) {
                try {
                    List<StoredKey> keys = load(id);
                    if (!keys.isEmpty()) {
                        all.put(id, keys);
                    }
                } catch (UncheckedIOException e) {
                    // One unreadable file must not keep the service from starting; its keys do not work meanwhile.
                    log.error(
                            "Skipping the API keys of session '{}': {} cannot be read ({}); fix or delete it",
                            id,
                            paths.sessionDir(id).resolve(FILE),
                            e.getCause().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sessions", e);
        }
        return all;
    }
}
