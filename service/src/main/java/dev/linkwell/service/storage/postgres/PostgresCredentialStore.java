package dev.linkwell.service.storage.postgres;

import dev.linkwell.service.storage.CredentialNames;
import dev.linkwell.service.storage.FencedException;
import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.Envelope;
import dev.linkwell.service.storage.crypto.KeyUsage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link dev.linkwell.client.CredentialStore} in the {@code credential} table: one row per blob. A write is
 * one upsert, committed (and so durable, with PostgreSQL's default {@code synchronous_commit=on}) before it
 * returns; readers see the old or the new row, never a mix. Ids and names are checked before any SQL runs.
 * Writes, deletes and purges happen only under this node's lease on the session ({@link Fence}); otherwise they
 * change nothing and throw {@link dev.linkwell.service.storage.FencedException}.
 */
public final class PostgresCredentialStore implements CredentialBackend {

    private final Jdbc jdbc;
    private final Fence fence;
    private final String description;

    public PostgresCredentialStore(PostgresDatabase database, Fence fence) {
        this.jdbc = new Jdbc(database.dataSource());
        this.fence = fence;
        this.description = "PostgreSQL " + database.describe();
    }

    @Override
    public Optional<byte[]> read(String sessionId, String name) {
        check(sessionId, name);
        return jdbc.run("read credential " + name + " of session " + sessionId, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT data FROM credential WHERE session_id = ? AND name = ?")) {
                ps.setString(1, sessionId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** One statement, the engine's hot path: the fence's row lock and the upsert, which inserts nothing when fenced. */
    @Override
    public void write(String sessionId, String name, byte[] data) {
        check(sessionId, name);
        Fence.Lease lease = fence.require(sessionId);
        int written = jdbc.run("write credential " + name + " of session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "WITH fence AS (" + Fence.HOLD_SQL + ") "
                            + "INSERT INTO credential (session_id, name, data, key_id, updated_at) SELECT ?, ?, ?, ?, now() FROM fence "
                            + "ON CONFLICT (session_id, name) "
                            + "DO UPDATE SET data = excluded.data, key_id = excluded.key_id, updated_at = excluded.updated_at")) {
                Fence.bind(ps, 1, sessionId, lease);
                ps.setString(4, sessionId);
                ps.setString(5, name);
                ps.setBytes(6, data);
                ps.setString(7, Envelope.keyId(data).orElse(null));
                return ps.executeUpdate();
            }
        });
        if (written == 0) {
            fence.lost(sessionId, lease);
            throw new FencedException(sessionId);
        }
    }

    @Override
    public void delete(String sessionId, String name) {
        check(sessionId, name);
        jdbc.fenced("delete credential " + name + " of session " + sessionId, fence, sessionId, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM credential WHERE session_id = ? AND name = ?")) {
                ps.setString(1, sessionId);
                ps.setString(2, name);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<String> names(String sessionId) {
        CredentialNames.requireSessionId(sessionId);
        return jdbc.run("list credentials of session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM credential WHERE session_id = ?")) {
                ps.setString(1, sessionId);
                return sortedStrings(ps);
            }
        });
    }

    @Override
    public boolean exists(String sessionId) {
        CredentialNames.requireSessionId(sessionId);
        return jdbc.run("look up credentials of session " + sessionId, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT EXISTS (SELECT 1 FROM credential WHERE session_id = ?)")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public void purge(String sessionId) {
        CredentialNames.requireSessionId(sessionId);
        jdbc.fenced("purge credentials of session " + sessionId, fence, sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM credential WHERE session_id = ?")) {
                ps.setString(1, sessionId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<String> sessionIds() {
        return jdbc.run("list sessions with credentials", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT session_id FROM credential")) {
                return sortedStrings(ps);
            }
        });
    }

    @Override
    public KeyUsage keyUsage() {
        return jdbc.run("count credentials by key", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, COUNT(*) FROM credential GROUP BY key_id");
                    ResultSet rs = ps.executeQuery()) {
                long plain = 0;
                Map<String, Long> sealed = new TreeMap<>();
                while (rs.next()) {
                    String keyId = rs.getString(1);
                    if (keyId == null) {
                        plain = rs.getLong(2);
                    } else {
                        sealed.put(keyId, rs.getLong(2));
                    }
                }
                return new KeyUsage(plain, sealed);
            }
        });
    }

    /**
     * One conditional update: a row written by someone else since it was read is left alone. Not fenced: the key
     * rotation runs while no node does (it holds the database's rotation lock), and changes no blob's content.
     */
    @Override
    public boolean replace(String sessionId, String name, byte[] expected, byte[] replacement) {
        check(sessionId, name);
        return jdbc.run("replace credential " + name + " of session " + sessionId, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE credential SET data = ?, key_id = ?, updated_at = now() "
                            + "WHERE session_id = ? AND name = ? AND data = ?")) {
                ps.setBytes(1, replacement);
                ps.setString(2, Envelope.keyId(replacement).orElse(null));
                ps.setString(3, sessionId);
                ps.setString(4, name);
                ps.setBytes(5, expected);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public String describe() {
        return description;
    }

    private static void check(String sessionId, String name) {
        CredentialNames.requireSessionId(sessionId);
        CredentialNames.requireBlobName(name);
    }

    /** Sorted here, not by the database, so the order is the same as the file store's whatever the collation. */
    private static List<String> sortedStrings(PreparedStatement ps) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        values.sort(null);
        return List.copyOf(values);
    }
}
