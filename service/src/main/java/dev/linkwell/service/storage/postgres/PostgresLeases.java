package dev.linkwell.service.storage.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code session_lease} and {@code node} tables (ADR 0015): who runs which session, and which nodes are alive.
 * Every change of a lease is one statement that names what it expects (free or expired; this owner and epoch), so
 * two nodes can never both think they took the same lease. Times are the database's ({@code now()}), never a
 * node's clock.
 */
public final class PostgresLeases {

    /**
     * The lease of a session as the database has it.
     *
     * @param node the owner, or {@code null} when free
     * @param valid whether it has not expired
     * @param url where the owner takes forwarded API calls, or {@code null}
     * @param alive whether the owner's heartbeat is recent
     */
    public record Owner(String node, long epoch, boolean valid, String url, boolean alive) {}

    /**
     * How the sessions that should run are spread.
     *
     * @param running sessions that should run and have credentials
     * @param mine those of them whose valid lease is this node's
     * @param nodes live nodes, this one included
     */
    public record Load(int running, int mine, int nodes) {}

    private final Jdbc jdbc;

    public PostgresLeases(PostgresDatabase database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /**
     * Takes the session's lease if it has none, or a free or expired one: one conditional statement that adds one
     * to the epoch.
     *
     * @return the new epoch, or empty when another node holds a valid lease
     */
    public OptionalLong claim(String sessionId, String node, Duration ttl) {
        return jdbc.run("claim session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO session_lease (session_id, owner, epoch, expires_at) "
                            + "VALUES (?, ?, 1, now() + make_interval(secs => ?)) ON CONFLICT (session_id) DO UPDATE "
                            + "SET owner = excluded.owner, epoch = session_lease.epoch + 1, expires_at = excluded.expires_at "
                            + "WHERE session_lease.owner IS NULL OR session_lease.expires_at < now() RETURNING epoch")) {
                ps.setString(1, sessionId);
                ps.setString(2, node);
                ps.setDouble(3, seconds(ttl));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    /**
     * Extends the given leases (session id to epoch) that are still this node's, expired or not (no one took them
     * meanwhile, so the epoch still fences every other node).
     *
     * @return the leases renewed; those missing went to another node (or were given back)
     */
    public Map<String, Long> renew(String node, Map<String, Long> leases, Duration ttl) {
        if (leases.isEmpty()) {
            return Map.of();
        }
        return jdbc.run("renew leases", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE session_lease l "
                            + "SET expires_at = now() + make_interval(secs => ?) FROM unnest(?::text[], ?::bigint[]) AS h(session_id, epoch) "
                            + "WHERE l.session_id = h.session_id AND l.epoch = h.epoch AND l.owner = ? RETURNING l.session_id, l.epoch")) {
                ps.setDouble(1, seconds(ttl));
                bindLeases(c, ps, 2, leases);
                ps.setString(4, node);
                Map<String, Long> renewed = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        renewed.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return renewed;
            }
        });
    }

    /** Gives leases back (free at once, epoch kept); those no longer this node's are left alone. */
    public void release(String node, Map<String, Long> leases) {
        if (leases.isEmpty()) {
            return;
        }
        jdbc.run("give leases back", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE session_lease l SET owner = NULL, expires_at = now() "
                            + "FROM unnest(?::text[], ?::bigint[]) AS h(session_id, epoch) "
                            + "WHERE l.session_id = h.session_id AND l.epoch = h.epoch AND l.owner = ?")) {
                bindLeases(c, ps, 1, leases);
                ps.setString(3, node);
                return ps.executeUpdate();
            }
        });
    }

    /** The session's lease and its owner's liveness, or empty when it never had one. */
    public Optional<Owner> owner(String sessionId) {
        return jdbc.run("look up the owner of session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.owner, l.epoch, l.expires_at > now(), n.url, "
                    + "COALESCE(n.expires_at > now(), false) FROM session_lease l LEFT JOIN node n ON n.node_id = l.owner "
                    + "WHERE l.session_id = ?")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Owner(
                                    rs.getString(1),
                                    rs.getLong(2),
                                    rs.getBoolean(3),
                                    rs.getString(4),
                                    rs.getBoolean(5)))
                            : Optional.<Owner>empty();
                }
            }
        });
    }

    /**
     * Up to {@code limit} sessions that should run, have credentials, and no node runs (no lease, a free one or an
     * expired one), in random order so that nodes claiming at once seldom reach for the same ones.
     */
    public List<String> claimable(int limit) {
        return jdbc.run("find sessions to take up", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT s.session_id FROM session_state s "
                            + "LEFT JOIN session_lease l ON l.session_id = s.session_id "
                            + "WHERE s.desired_running AND (l.session_id IS NULL OR l.owner IS NULL OR l.expires_at < now()) "
                            + "AND EXISTS (SELECT 1 FROM credential c WHERE c.session_id = s.session_id) ORDER BY random() LIMIT ?")) {
                ps.setInt(1, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    public Load load(String node) {
        return jdbc.run("count sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*), "
                            + "COUNT(*) FILTER (WHERE l.owner = ? AND l.expires_at > now()), "
                            + "(SELECT COUNT(*) FROM node WHERE expires_at > now()) "
                            + "FROM session_state s LEFT JOIN session_lease l ON l.session_id = s.session_id "
                            + "WHERE s.desired_running AND EXISTS (SELECT 1 FROM credential c WHERE c.session_id = s.session_id)")) {
                ps.setString(1, node);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Load(rs.getInt(1), rs.getInt(2), rs.getInt(3));
                }
            }
        });
    }

    /** Writes the node's row (its URL, and alive for {@code ttl}); rows of nodes dead for a day go. */
    public void heartbeat(String node, String url, Duration ttl) {
        jdbc.run("write the heartbeat of node " + node, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO node (node_id, url, started_at, heartbeat_at, expires_at) "
                                    + "VALUES (?, ?, now(), now(), now() + make_interval(secs => ?)) ON CONFLICT (node_id) DO UPDATE "
                                    + "SET url = excluded.url, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at");
                    PreparedStatement prune =
                            c.prepareStatement("DELETE FROM node WHERE expires_at < now() - interval '1 day'")) {
                ps.setString(1, node);
                ps.setString(2, url);
                ps.setDouble(3, seconds(ttl));
                ps.executeUpdate();
                return prune.executeUpdate();
            }
        });
    }

    /** The node stopped: its row goes, so the others count one node less at once. */
    public void leave(String node) {
        jdbc.run("remove node " + node, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM node WHERE node_id = ?")) {
                ps.setString(1, node);
                return ps.executeUpdate();
            }
        });
    }

    /** The live nodes (heartbeat not expired) and their URLs, by node id. */
    public Map<String, String> liveNodes() {
        return jdbc.run("list live nodes", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT node_id, url FROM node WHERE expires_at > now() ORDER BY node_id");
                    ResultSet rs = ps.executeQuery()) {
                Map<String, String> nodes = new LinkedHashMap<>();
                while (rs.next()) {
                    nodes.put(rs.getString(1), rs.getString(2));
                }
                return nodes;
            }
        });
    }

    private static void bindLeases(Connection c, PreparedStatement ps, int index, Map<String, Long> leases)
            throws SQLException {
        Array ids = c.createArrayOf("text", leases.keySet().toArray());
        Array epochs = c.createArrayOf("bigint", leases.values().toArray());
        ps.setArray(index, ids);
        ps.setArray(index + 1, epochs);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
