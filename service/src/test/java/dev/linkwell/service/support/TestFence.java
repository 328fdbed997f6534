package dev.linkwell.service.support;

import dev.linkwell.service.storage.postgres.Fence;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fence of a store test: this test node holds a lease (epoch 1) on every session it is asked about, and makes
 * sure the database has that lease row first, so the stores' fenced statements find it. Records the leases a write
 * found lost.
 */
public final class TestFence implements Fence {

    public static final String NODE = "test-node";

    private final PostgresDatabase database;
    private final List<String> lost = new CopyOnWriteArrayList<>();

    public TestFence(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public Optional<Lease> lease(String sessionId) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO session_lease (session_id, owner, epoch, expires_at) VALUES (?, ?, 1, now() + interval '1 hour') "
                                + "ON CONFLICT (session_id) DO NOTHING")) {
            ps.setString(1, sessionId);
            ps.setString(2, NODE);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(new Lease(NODE, 1));
    }

    @Override
    public void lost(String sessionId, Lease lease) {
        lost.add(sessionId);
    }

    public List<String> lost() {
        return List.copyOf(lost);
    }
}
