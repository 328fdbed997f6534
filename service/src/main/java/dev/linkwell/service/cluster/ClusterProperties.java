package dev.linkwell.service.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.cluster.*}: how nodes on one PostgreSQL database share the sessions (ADR 0015).
 *
 * @param nodeId this node's name in leases, logs and {@code X-Linkwell-Node} ({@code NODE_ID}); unset: the host
 *               name and a random suffix, new at each start
 * @param advertisedUrl where the other nodes reach this one's API ({@code NODE_URL}); unset:
 *                      {@code http://<this host's address>:<port>}
 * @param leaseTtl how long a lease lasts without renewal ({@code LEASE_TTL}): a dead node's sessions open elsewhere
 *                 within about this long. Renewed every third of it; a node that could not renew for four fifths
 *                 of it closes its sockets
 * @param claimInterval how often a node looks for sessions no node runs
 * @param claimsPerSecond at most this many sessions a node takes up per second (a failover is no reconnect storm)
 * @param rebalance whether a node that runs more than its share of the sessions hands open ones to the others
 * @param pollInterval how often a node reads the shared event log when no notification came
 * @param forwardTimeout how long a forwarded API call may take (a {@code PUT} waits for a QR on the owner)
 */
@ConfigurationProperties("linkwell.cluster")
public record ClusterProperties(
        String nodeId,
        String advertisedUrl,
        @DefaultValue("15s") Duration leaseTtl,
        @DefaultValue("1s") Duration claimInterval,
        @DefaultValue("10") int claimsPerSecond,
        @DefaultValue("true") boolean rebalance,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("60s") Duration forwardTimeout) {

    public ClusterProperties {
        nodeId = nodeId == null || nodeId.isBlank() ? null : nodeId.strip();
        advertisedUrl = advertisedUrl == null || advertisedUrl.isBlank()
                ? null
                : advertisedUrl.strip().replaceAll("/+$", "");
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("linkwell.cluster.lease-ttl (LEASE_TTL) must be at least 1s");
        }
        if (!claimInterval.isPositive() || !pollInterval.isPositive() || !forwardTimeout.isPositive()) {
            throw new IllegalArgumentException("linkwell.cluster intervals and timeouts must be positive");
        }
        if (claimsPerSecond < 1) {
            throw new IllegalArgumentException("linkwell.cluster.claims-per-second must be at least 1");
        }
        if (nodeId != null && !nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "linkwell.cluster.node-id (NODE_ID) must be 1 to 64 of A-Z a-z 0-9 . _ -");
        }
    }

    /** How often leases are renewed and the heartbeat written. */
    public Duration renewInterval() {
        return leaseTtl.dividedBy(3);
    }

    /** How much sooner than the database a node counts its lease as gone: it stops writing before anyone may take it. */
    public Duration safetyMargin() {
        return leaseTtl.dividedBy(5);
    }

    /** The configured node id, or one made of the host name and a random suffix. */
    String nodeIdOrGenerated() {
        return nodeId != null ? nodeId : generatedNodeId();
    }

    private static String generatedNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (UnknownHostException e) {
            host = "node";
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return (host.length() > 50 ? host.substring(0, 50) : host) + "-"
                + HexFormat.of().formatHex(suffix);
    }
}
