package dev.linkwell.service.storage.postgres;

import dev.linkwell.service.storage.CredentialNames;
import dev.linkwell.service.storage.SessionKeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SessionKeyStore} in the {@code session_api_key} table; a save replaces the session's rows in one transaction,
 * under this node's lease on the session ({@link Fence}), and notifies every node on {@value #CHANNEL} with the
 * session id, so that a key made or revoked on one node counts on all of them at once.
 */
public final class PostgresSessionKeyStore implements SessionKeyStore {

    /** The LISTEN/NOTIFY channel of key changes; the payload is the session id. */
    public static final String CHANNEL = "linkwell_keys";

    private final Jdbc jdbc;
    private final Fence fence;

    public PostgresSessionKeyStore(PostgresDatabase database, Fence fence) {
        this.jdbc = new Jdbc(database.dataSource());
        this.fence = fence;
    }

    @Override
    public List<StoredKey> load(String sessionId) {
        CredentialNames.requireSessionId(sessionId);
        return jdbc.run("read the API keys of session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT session_id, key_id, sha256, created_at FROM session_api_key WHERE session_id = ? ORDER BY position")) {
                ps.setString(1, sessionId);
                return List.copyOf(rows(ps).getOrDefault(sessionId, List.of()));
            }
        });
    }

    @Override
    public void save(String sessionId, List<StoredKey> keys) {
        CredentialNames.requireSessionId(sessionId);
        jdbc.fenced("save the API keys of session " + sessionId, fence, sessionId, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM session_api_key WHERE session_id = ?")) {
                delete.setString(1, sessionId);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO session_api_key (session_id, position, key_id, sha256, created_at) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < keys.size(); i++) {
                    StoredKey key = keys.get(i);
                    insert.setString(1, sessionId);
                    insert.setInt(2, i);
                    insert.setString(3, key.id());
                    insert.setString(4, key.sha256());
                    insert.setObject(5, OffsetDateTime.ofInstant(key.createdAt(), ZoneOffset.UTC));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                notify.setString(1, sessionId);
                notify.execute();
            }
            return null;
        });
    }

    @Override
    public Map<String, List<StoredKey>> loadAll() {
        return jdbc.run("read the API keys of every session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT session_id, key_id, sha256, created_at FROM session_api_key ORDER BY session_id, position")) {
                Map<String, List<StoredKey>> sorted = new LinkedHashMap<>();
                rows(ps).forEach((id, keys) -> sorted.put(id, List.copyOf(keys)));
                return sorted;
            }
        });
    }

    private static Map<String, List<StoredKey>> rows(PreparedStatement ps) throws SQLException {
        Map<String, List<StoredKey>> keys = new TreeMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                        .add(new StoredKey(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant()));
            }
        }
        return keys;
    }
}
