package dev.linkwell.service.storage.postgres;

import dev.linkwell.service.storage.CredentialNames;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.storage.StoredWebhook;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link SessionStateStore} in the {@code session_state} table (the session's webhooks as JSON). Times are
 * kept to the microsecond, PostgreSQL's precision. {@link #delete} removes the session's row, API keys and
 * credentials in one transaction, as the file backend removes the session's folder. Saves and deletes happen only
 * under this node's lease on the session ({@link Fence}).
 */
public final class PostgresSessionStateStore implements SessionStateStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresSessionStateStore.class);
    private static final TypeReference<List<StoredWebhook>> WEBHOOKS = new TypeReference<>() {};
    private static final String COLUMNS = "session_id, provider, phone, storage, desired_running, updated_at, webhooks";

    private final Jdbc jdbc;
    private final JsonMapper json;
    private final Fence fence;

    public PostgresSessionStateStore(PostgresDatabase database, JsonMapper json, Fence fence) {
        this.jdbc = new Jdbc(database.dataSource());
        this.json = json;
        this.fence = fence;
    }

    @Override
    public void save(StoredSession session) {
        CredentialNames.requireSessionId(session.sessionId());
        String webhooks = json.writeValueAsString(session.webhooks());
        jdbc.fenced("save session " + session.sessionId(), fence, session.sessionId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_state (" + COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (session_id) DO UPDATE SET provider = excluded.provider, "
                    + "phone = excluded.phone, storage = excluded.storage, desired_running = excluded.desired_running, "
                    + "updated_at = excluded.updated_at, webhooks = excluded.webhooks")) {
                ps.setString(1, session.sessionId());
                ps.setString(2, session.provider());
                ps.setString(3, session.phone());
                ps.setString(4, session.storage());
                ps.setBoolean(5, session.desiredRunning());
                ps.setObject(6, OffsetDateTime.ofInstant(session.updatedAt(), ZoneOffset.UTC));
                ps.setString(7, webhooks);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<StoredSession> load(String sessionId) {
        CredentialNames.requireSessionId(sessionId);
        return jdbc.run("load session " + sessionId, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM session_state WHERE session_id = ?")) {
                ps.setString(1, sessionId);
                return rows(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<StoredSession> loadAll() {
        List<StoredSession> all = new ArrayList<>(jdbc.run("load sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM session_state")) {
                return rows(ps);
            }
        }));
        all.sort((a, b) -> a.sessionId().compareTo(b.sessionId()));
        return List.copyOf(all);
    }

    @Override
    public void delete(String sessionId) {
        CredentialNames.requireSessionId(sessionId);
        jdbc.fenced("delete session " + sessionId, fence, sessionId, c -> {
            for (String table : new String[] {"session_api_key", "credential", "session_state"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE session_id = ?")) {
                    ps.setString(1, sessionId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public String backend() {
        return StorageProperties.POSTGRES;
    }

    private List<StoredSession> rows(PreparedStatement ps) throws SQLException {
        List<StoredSession> sessions = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                try {
                    sessions.add(new StoredSession(
                            id,
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getBoolean(5),
                            rs.getObject(6, OffsetDateTime.class).toInstant(),
                            json.readValue(rs.getString(7), WEBHOOKS)));
                } catch (JacksonException e) {
                    log.warn("Ignoring session {} with unreadable webhooks: {}", id, e.getOriginalMessage());
                }
            }
        }
        return sessions;
    }
}
