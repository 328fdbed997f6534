package dev.linkwell.service.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.storage.FencedException;
import dev.linkwell.service.storage.SessionKeyStore;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.support.PostgresStorage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lease statements on a real PostgreSQL: a claim takes only a free or expired lease and adds one to the epoch,
 * a renewal keeps only what is still the node's, a node whose lease went elsewhere writes nothing in any store, a
 * claim waits for a fenced write in flight, and the counts the balancer works from.
 */
class PostgresLeasesTest {

    @RegisterExtension
    static final PostgresStorage POSTGRES = new PostgresStorage(
            "session_lease", "node", "credential", "session_state", "session_api_key", "webhook_delivery");

    private static final Duration TTL = Duration.ofMinutes(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A node's fence: the leases it took. */
    private static final class NodeFence implements Fence {
        private final String node;
        private final Map<String, Long> leases = new ConcurrentHashMap<>();
        private final List<String> lost = new java.util.concurrent.CopyOnWriteArrayList<>();

        NodeFence(String node) {
            this.node = node;
        }

        void took(String sessionId, OptionalLong epoch) {
            leases.put(sessionId, epoch.orElseThrow());
        }

        @Override
        public String node() {
            return node;
        }

        @Override
        public Optional<Lease> lease(String sessionId) {
            return Optional.ofNullable(leases.get(sessionId)).map(epoch -> new Lease(node, epoch));
        }

        @Override
        public void lost(String sessionId, Lease lease) {
            lost.add(sessionId);
        }
    }

    private final PostgresLeases leases = new PostgresLeases(POSTGRES.database());

    @Test
    void aClaimTakesOnlyAFreeOrExpiredLeaseAndBumpsTheEpoch() throws SQLException {
        assertThat(leases.claim("s1", "a", TTL)).hasValue(1);
        assertThat(leases.claim("s1", "b", TTL)).as("a holds it").isEmpty();
        assertThat(leases.owner("s1")).hasValueSatisfying(o -> {
            assertThat(o.node()).isEqualTo("a");
            assertThat(o.valid()).isTrue();
        });

        expire("s1");
        assertThat(leases.claim("s1", "b", TTL)).hasValue(2);
        assertThat(leases.renew("a", Map.of("s1", 1L), TTL))
                .as("a's lease is gone")
                .isEmpty();
        assertThat(leases.renew("b", Map.of("s1", 2L), TTL)).containsExactly(Map.entry("s1", 2L));

        leases.release("a", Map.of("s1", 1L));
        assertThat(leases.owner("s1").orElseThrow().node())
                .as("a cannot give back what is b's")
                .isEqualTo("b");
        leases.release("b", Map.of("s1", 2L));
        assertThat(leases.owner("s1").orElseThrow().node()).isNull();
        assertThat(leases.claim("s1", "c", TTL)).as("given back: free at once").hasValue(3);
    }

    @Test
    void aRenewalKeepsAnExpiredLeaseNobodyTookAndItsEpochStillFences() throws SQLException {
        leases.claim("s1", "a", TTL);
        expire("s1");
        assertThat(leases.renew("a", Map.of("s1", 1L), TTL)).containsExactly(Map.entry("s1", 1L));
        assertThat(leases.claim("s1", "b", TTL)).isEmpty();
    }

    @Test
    void aNodeWhoseLeaseWentElsewhereWritesNothingAnywhere() throws SQLException {
        NodeFence a = new NodeFence("a");
        NodeFence b = new NodeFence("b");
        PostgresCredentialStore credentialsOfA = new PostgresCredentialStore(POSTGRES.database(), a);
        PostgresSessionStateStore statesOfA = new PostgresSessionStateStore(POSTGRES.database(), JSON, a);
        PostgresSessionKeyStore keysOfA = new PostgresSessionKeyStore(POSTGRES.database(), a);
        a.took("s1", leases.claim("s1", "a", TTL));
        credentialsOfA.write("s1", "creds", new byte[] {1});
        statesOfA.save(
                new StoredSession("s1", "native", null, "postgres", true, Instant.parse("2026-12-01T10:00:00Z")));

        expire("s1");
        b.took("s1", leases.claim("s1", "b", TTL));

        assertThatThrownBy(() -> credentialsOfA.write("s1", "creds", new byte[] {2}))
                .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> credentialsOfA.delete("s1", "creds")).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> credentialsOfA.purge("s1")).isInstanceOf(FencedException.class);
        assertThatThrownBy(
                        () -> statesOfA.save(new StoredSession("s1", "native", null, "postgres", false, Instant.now())))
                .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> statesOfA.delete("s1")).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> keysOfA.save("s1", List.of(new SessionKeyStore.StoredKey("k", "00", Instant.now()))))
                .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> credentialsOfA.write("s2", "creds", new byte[] {2}))
                .as("never had a lease")
                .isInstanceOf(FencedException.class);
        assertThat(a.lost).as("each write that met b's lease told a").contains("s1");

        assertThat(credentialsOfA.read("s1", "creds"))
                .hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        assertThat(statesOfA.load("s1").orElseThrow().desiredRunning()).isTrue();
        assertThat(keysOfA.load("s1")).isEmpty();
        new PostgresCredentialStore(POSTGRES.database(), b).write("s1", "creds", new byte[] {3});
        assertThat(credentialsOfA.read("s1", "creds"))
                .hasValueSatisfying(v -> assertThat(v).containsExactly(3));
    }

    @Test
    void aClaimWaitsForAFencedWriteInFlight() throws SQLException {
        leases.claim("s1", "a", TTL);
        expire("s1");
        try (Connection writer = POSTGRES.database().dataSource().getConnection();
                Connection claimer = POSTGRES.database().dataSource().getConnection()) {
            writer.setAutoCommit(false);
            try (PreparedStatement hold = writer.prepareStatement(Fence.HOLD_SQL)) {
                Fence.bind(hold, 1, "s1", new Fence.Lease("a", 1));
                assertThat(hold.executeQuery().next()).isTrue();
            }
            try (Statement s = claimer.createStatement()) {
                s.execute("SET lock_timeout = '300ms'");
                assertThatThrownBy(() -> s.executeUpdate("UPDATE session_lease SET owner = 'b', epoch = epoch + 1 "
                                + "WHERE session_id = 's1' AND expires_at < now()"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("lock timeout");
            }
            writer.commit();
            writer.setAutoCommit(true);
        }
        assertThat(leases.claim("s1", "b", TTL)).as("once the write committed").hasValue(2);
    }

    @Test
    void countsTheSessionsThatShouldRunAndWhoRunsThem() throws SQLException {
        NodeFence a = new NodeFence("a");
        PostgresSessionStateStore states = new PostgresSessionStateStore(POSTGRES.database(), JSON, a);
        PostgresCredentialStore credentials = new PostgresCredentialStore(POSTGRES.database(), a);
        for (String id : List.of("run1", "run2", "run3", "stopped", "unpaired")) {
            a.took(id, leases.claim(id, "a", TTL));
            states.save(new StoredSession(id, "native", null, "postgres", !id.equals("stopped"), Instant.now()));
            if (!id.equals("unpaired")) {
                credentials.write(id, "creds", new byte[] {1});
            }
        }
        leases.heartbeat("a", "http://a:3000", TTL);
        leases.heartbeat("b", "http://b:3000", TTL);
        expire("run2");
        leases.release("a", Map.of("run3", 1L));

        assertThat(leases.load("a")).isEqualTo(new PostgresLeases.Load(3, 1, 2));
        assertThat(leases.claimable(10)).containsExactlyInAnyOrder("run2", "run3");
        assertThat(leases.claimable(1)).hasSize(1);
        assertThat(leases.liveNodes())
                .containsExactly(Map.entry("a", "http://a:3000"), Map.entry("b", "http://b:3000"));
        leases.leave("b");
        assertThat(leases.liveNodes()).containsOnlyKeys("a");
        assertThat(leases.owner("run1").orElseThrow())
                .isEqualTo(new PostgresLeases.Owner("a", 1, true, "http://a:3000", true));
        assertThat(leases.owner("nothing")).isEmpty();
    }

    private static void expire(String sessionId) throws SQLException {
        try (Connection c = POSTGRES.database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE session_lease SET expires_at = now() - interval '1 second' WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            ps.executeUpdate();
        }
    }
}
