package dev.linkwell.client.store;

import dev.linkwell.client.CredentialStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory {@link CredentialStore} for tests. */
public final class MemoryCredentialStore implements CredentialStore {
    private final Map<String, Map<String, byte[]>> data = new ConcurrentHashMap<>();

    /** A copy of everything stored: what a restarted process would find on disk. */
    public MemoryCredentialStore copy() {
        MemoryCredentialStore copy = new MemoryCredentialStore();
        data.forEach((session, blobs) -> blobs.forEach((name, bytes) -> copy.write(session, name, bytes)));
        return copy;
    }

    @Override
    public Optional<byte[]> read(String sessionId, String name) {
        return Optional.ofNullable(data.getOrDefault(sessionId, Map.of()).get(name))
                .map(byte[]::clone);
    }

    @Override
    public void write(String sessionId, String name, byte[] bytes) {
        data.computeIfAbsent(sessionId, k -> new java.util.concurrent.ConcurrentSkipListMap<>())
                .put(name, bytes.clone());
    }

    @Override
    public void delete(String sessionId, String name) {
        data.getOrDefault(sessionId, new TreeMap<>()).remove(name);
    }

    @Override
    public List<String> names(String sessionId) {
        return new ArrayList<>(data.getOrDefault(sessionId, Map.of()).keySet());
    }

    @Override
    public boolean exists(String sessionId) {
        return !data.getOrDefault(sessionId, Map.of()).isEmpty();
    }

    @Override
    public void purge(String sessionId) {
        data.remove(sessionId);
    }

    @Override
    public List<String> sessionIds() {
        return new ArrayList<>(new TreeMap<>(data).keySet());
    }
}
