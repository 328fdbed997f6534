package dev.linkwell.service.storage.postgres;

import dev.linkwell.service.storage.FencedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Which sessions this node may write, by the lease it holds on each ({@code session_lease}, ADR 0015). Every
 * per-session write on PostgreSQL names the lease and holds its row {@code FOR SHARE} in the same transaction
 * ({@link #hold}): a node that took the session since (a new epoch) waits for that write to commit, and a write
 * that comes after it finds another owner or epoch and changes nothing.
 */
public interface Fence {

    /** The lease a node holds on a session. */
    record Lease(String node, long epoch) {}

    /** Holds no lease: every per-session write is refused (the key rotation command, which only rewraps). */
    Fence NONE = new Fence() {
        @Override
        public String node() {
            return "none";
        }

        @Override
        public Optional<Lease> lease(String sessionId) {
            return Optional.empty();
        }

        @Override
        public void lost(String sessionId, Lease lease) {}
    };

    /** What a fenced write adds to its transaction: locks the lease row if (and only if) it is still this one. */
    String HOLD_SQL = "SELECT 1 FROM session_lease WHERE session_id = ? AND owner = ? AND epoch = ? FOR SHARE";

    /** This node's id, as leases and claims name it. */
    String node();

    /** The lease this node holds on the session and still counts on, or empty: then nothing of it may be written. */
    Optional<Lease> lease(String sessionId);

    /** A write found the lease gone in the database: the node stops the session without writing. */
    void lost(String sessionId, Lease lease);

    /**
     * Before a write of the session in {@code connection}'s transaction: locks the lease row until the commit.
     *
     * @throws FencedException when this node holds no lease on the session or the database says it is not its own
     */
    default void hold(Connection connection, String sessionId) throws SQLException {
        Lease lease = require(sessionId);
        try (PreparedStatement ps = connection.prepareStatement(HOLD_SQL)) {
            bind(ps, 1, sessionId, lease);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    lost(sessionId, lease);
                    throw new FencedException(sessionId);
                }
            }
        }
    }

    /** The lease, or a {@link FencedException} before any SQL runs. */
    default Lease require(String sessionId) {
        return lease(sessionId).orElseThrow(() -> new FencedException(sessionId));
    }

    /** Binds {@link #HOLD_SQL}'s three parameters from {@code index} on. */
    static void bind(PreparedStatement ps, int index, String sessionId, Lease lease) throws SQLException {
        ps.setString(index, sessionId);
        ps.setString(index + 1, lease.node());
        ps.setLong(index + 2, lease.epoch());
    }
}
