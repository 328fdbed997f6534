package dev.linkwell.bench.engine;

import dev.linkwell.client.CredentialStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * The footprint harness's credential store: blobs in memory, nothing on disk. "Durable" only for the
 * life of the process, which is all the restart-restore measurement needs (close every client, open
 * new ones from the same store). Its bytes are counted by {@link #totalBytes()} so the report can show
 * how much of the measured heap is stored credentials rather than live sessions.
 */
final class MemoryCredentialStore implements CredentialStore {

    private static final Pattern SESSION = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$");

    private final Map<String, ConcurrentSkipListMap<String, byte[]>> sessions = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> read(String sessionId, String name) {
        check(sessionId, name);
        Map<String, byte[]> blobs = sessions.get(sessionId);
        byte[] b = blobs == null ? null : blobs.get(name);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    @Override
    public void write(String sessionId, String name, byte[] data) {
        check(sessionId, name);
        sessions.computeIfAbsent(sessionId, k -> new ConcurrentSkipListMap<>()).put(name, data.clone());
    }

    @Override
    public void delete(String sessionId, String name) {
        check(sessionId, name);
        sessions.computeIfPresent(sessionId, (k, blobs) -> {
            blobs.remove(name);
            return blobs.isEmpty() ? null : blobs;
        });
    }

    @Override
    public List<String> names(String sessionId) {
        check(sessionId, null);
        Map<String, byte[]> blobs = sessions.get(sessionId);
        return blobs == null ? List.of() : List.copyOf(blobs.keySet());
    }

    @Override
    public boolean exists(String sessionId) {
        check(sessionId, null);
        Map<String, byte[]> blobs = sessions.get(sessionId);
        return blobs != null && !blobs.isEmpty();
    }

    @Override
    public void purge(String sessionId) {
        check(sessionId, null);
        sessions.remove(sessionId);
    }

    @Override
    public List<String> sessionIds() {
        List<String> ids = new ArrayList<>(sessions.keySet());
        ids.sort(null);
        return ids;
    }

    /** Sum of the stored blob sizes (payload bytes only, not the map overhead). */
    long totalBytes() {
        long n = 0;
        for (Map<String, byte[]> blobs : sessions.values()) {
            for (byte[] b : blobs.values()) {
                n += b.length;
            }
        }
        return n;
    }

    /** Number of stored blobs. */
    int blobCount() {
        int n = 0;
        for (Map<String, byte[]> blobs : sessions.values()) {
            n += blobs.size();
        }
        return n;
    }

    private static void check(String sessionId, String name) {
        if (sessionId == null || !SESSION.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("bad session id " + sessionId);
        }
        if (name != null && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad blob name " + name);
        }
    }
}
