package dev.linkwell.service.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.time.ManualScheduler;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.storage.postgres.PostgresLeases;
import dev.linkwell.service.support.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease keeper on a manual clock against a real PostgreSQL: renewals every third of the lease time keep the
 * leases, a lease another node took is reported lost at the next renewal, and one the node could not renew (the
 * database out of reach) is reported lost before the database would let anyone else take it.
 */
class ClusterOwnershipTest {

    private static final ClusterProperties PROPERTIES = new ClusterProperties(
            "n1",
            "http://n1:3000",
            Duration.ofSeconds(15),
            Duration.ofSeconds(1),
            10,
            true,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    private final ManualScheduler time = new ManualScheduler();
    private final List<String> lost = new CopyOnWriteArrayList<>();
    private PostgresServer.TestDatabase db;
    private PostgresDatabase database;
    private PostgresLeases others;
    private LeaseBook book;
    private ClusterOwnership ownership;

    @BeforeEach
    void start() {
        db = PostgresServer.get().newDatabase();
        database = PostgresDatabase.open(db.settings());
        others = new PostgresLeases(database);
        book = new LeaseBook("n1", time.clock(), PROPERTIES.leaseTtl().minus(PROPERTIES.safetyMargin()));
        ownership = new ClusterOwnership(new PostgresLeases(database), book, PROPERTIES, time, time.clock());
        ownership.onLost(lost::add);
    }

    @AfterEach
    void stop() {
        ownership.close();
        database.close();
    }

    @Test
    void renewalsKeepTheLeaseAndTheHeartbeatForAsLongAsTheNodeRuns() {
        assertThat(ownership.acquire("s1")).isTrue();
        assertThat(others.claim("s1", "n2", PROPERTIES.leaseTtl())).isEmpty();
        assertThat(others.liveNodes()).containsEntry("n1", "http://n1:3000");

        time.advance(Duration.ofMinutes(2)); // 24 renewals
        assertThat(ownership.holds("s1")).isTrue();
        assertThat(ownership.confirm("s1")).isTrue();
        assertThat(lost).isEmpty();

        ownership.releaseAll();
        assertThat(ownership.holds("s1")).isFalse();
        assertThat(others.claim("s1", "n2", PROPERTIES.leaseTtl()))
                .as("given back: free at once")
                .hasValue(2);
        ownership.close();
        assertThat(others.liveNodes()).doesNotContainKey("n1");
    }

    @Test
    void aLeaseAnotherNodeTookIsLostAtTheNextRenewalAndConfirmsNothing() throws SQLException {
        ownership.acquire("s1");
        ownership.acquire("s2");
        expireInDatabase("s1");
        assertThat(others.claim("s1", "n2", PROPERTIES.leaseTtl())).hasValue(2);

        assertThat(ownership.holds("s1")).as("the node has not heard yet").isTrue();
        time.advance(PROPERTIES.renewInterval());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lost.contains("s1"));
        assertThat(ownership.holds("s1")).isFalse();
        assertThat(ownership.holds("s2")).isTrue();

        expireInDatabase("s2");
        others.claim("s2", "n2", PROPERTIES.leaseTtl());
        assertThat(ownership.confirm("s2")).as("a socket must not open").isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lost.contains("s2"));
    }

    @Test
    void whenRenewalsFailTheLeaseIsLostBeforeTheDatabaseWouldGiveItToAnother() {
        ownership.acquire("s1");
        database.close(); // the database out of reach: every renewal fails
        time.advance(Duration.ofSeconds(10));
        assertThat(ownership.holds("s1")).as("10 s: still counted on").isTrue();
        time.advance(Duration.ofSeconds(2)); // 12 s = lease time less the margin
        assertThat(ownership.holds("s1")).isFalse();
        time.advance(PROPERTIES.renewInterval());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lost.equals(List.of("s1")));
        database = PostgresDatabase.open(db.settings()); // for stop()
    }

    private void expireInDatabase(String sessionId) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE session_lease SET expires_at = now() - interval '1 second' WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            ps.executeUpdate();
        }
    }
}
