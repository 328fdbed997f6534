package dev.linkwell.service.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.PostgresServer;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.service.support.WebhookReceiver;
import dev.linkwell.simulator.LinkedDevice;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three service nodes, each a JVM of its own, on one PostgreSQL database and one simulator, over real sockets
 * (ADR 0015). Sessions linked through one node spread over all three; any node answers for any session, and every
 * node's streams and the webhook see every node's events once; SIGKILL a node and its sessions open on the others
 * within the lease time and a few seconds, without a QR; SIGSTOP a node past its lease and SIGCONT it, and it finds
 * itself fenced and writes nothing; restart every node in turn, and no session and no webhook event is lost. At no
 * moment has a device two sockets: the simulator counts no login that replaced a live connection.
 *
 * <p>Leases of {@value #LEASE_SECONDS} s; the simulator drops a client silent for 2 s (a frozen node's socket goes
 * before its lease does, as the real server's dead-connection timeout must be shorter than {@code LEASE_TTL}).
 * Each node's log is in {@code service/target/multinode/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeTest {

    static final int LEASE_SECONDS = 6;
    private static final Duration LEASE = Duration.ofSeconds(LEASE_SECONDS);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String KEY = "cluster-admin-key-0123456789";
    private static final List<String> SESSIONS = List.of("m1", "m2", "m3", "m4", "m5", "m6");

    private PostgresServer.TestDatabase db;
    private WaSimulator sim;
    private WebhookReceiver receiver;
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private final Map<String, String> devices = new HashMap<>();
    private Phone friend;

    @BeforeAll
    void startCluster() {
        db = PostgresServer.get().newDatabase();
        sim = WaSimulator.start(
                SimulatorConfig.defaults().withServerPing(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        receiver = new WebhookReceiver();
        friend = sim.addPhone("5511988887777");
        Path root = TestStorage.tempRoot("linkwell-multinode");
        List<String> settings = List.of(
                "--server.port=0",
                "--linkwell.storage.type=postgres",
                "--linkwell.storage.root=" + root,
                "--linkwell.storage.database.url=" + db.url(),
                "--linkwell.storage.database.username=" + db.user(),
                "--linkwell.storage.database.password=" + db.password(),
                "--linkwell.storage.database.pool-size=4",
                "--linkwell.native.url=" + sim.webSocketUrl(),
                "--linkwell.native.trust-anchor=" + sim.trustAnchor().hex(),
                "--linkwell.native.keepalive-interval=500ms",
                "--linkwell.native.dead-link-timeout=2s",
                "--linkwell.native.connect-timeout=5s",
                "--linkwell.sessions.start-wait=5s",
                "--linkwell.sessions.backoff-base=200ms",
                "--linkwell.sessions.backoff-cap=1s",
                "--linkwell.cluster.lease-ttl=" + LEASE_SECONDS + "s",
                "--linkwell.cluster.claim-interval=250ms",
                "--linkwell.cluster.poll-interval=250ms",
                "--linkwell.cluster.claims-per-second=4",
                "--linkwell.cluster.forward-timeout=8s",
                "--linkwell.webhooks.urls=" + receiver.url(),
                "--linkwell.webhooks.secret=cluster-webhook-secret-0123",
                "--linkwell.webhooks.backoff-base=50ms",
                "--linkwell.webhooks.backoff-cap=500ms",
                "--linkwell.webhooks.max-attempts=1000",
                "--linkwell.webhooks.poll-interval=250ms",
                "--linkwell.security.api-keys=" + KEY);
        Path logs = Path.of("target", "multinode");
        for (String id : List.of("n1", "n2", "n3")) {
            nodes.put(id, new ClusterNode(id, settings, logs, KEY).launch());
        }
        nodes.values().forEach(ClusterNode::awaitListening);
    }

    @AfterAll
    void stopCluster() {
        nodes.values().forEach(node -> {
            if (node.alive()) {
                try {
                    node.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        if (sim != null) {
            sim.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void sessionsLinkedThroughOneNodeSpreadAndEveryNodeAnswersForEverySession() throws Exception {
        ClusterNode n1 = nodes.get("n1");
        for (int i = 0; i < SESSIONS.size(); i++) {
            String id = SESSIONS.get(i);
            HttpResponse<String> put = n1.call("PUT", "/sessions/" + id);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            String qr = (String)
                    awaitView(n1, id, v -> v.get("qr") != null, "showing a QR").get("qr");
            LinkedDevice device = sim.addPhone("551190000000" + i).scan(qr);
            devices.put(id, device.jid());
            awaitView(n1, id, v -> "ready".equals(v.get("status")), "ready");
            await(() -> sim.preKeys(device.jid()).size() >= 812, "the first login of " + id + " uploads its prekeys");
        }

        await(
                () -> owners().values().stream()
                        .collect(Collectors.groupingBy(o -> o, Collectors.counting()))
                        .equals(Map.of("n1", 2L, "n2", 2L, "n3", 2L)),
                "two sessions on each node; owners " + owners());
        await(() -> allReady(nodes.get("n2")), "every session ready in n2's list");
        Map<String, String> owners = owners();
        for (ClusterNode node : nodes.values()) {
            for (String id : SESSIONS) {
                HttpResponse<String> get = node.call("GET", "/sessions/" + id);
                assertThat(get.statusCode())
                        .as("%s on %s: %s", id, node, get.body())
                        .isEqualTo(200);
                assertThat(Api.json(get)).containsEntry("status", "ready").containsEntry("connection", "open");
                assertThat(get.headers().firstValue(ForwardingFilter.NODE))
                        .as("answered by the owner")
                        .hasValue(owners.get(id));
            }
        }

        String elsewhere = SESSIONS.stream()
                .filter(id -> !owners.get(id).equals("n3"))
                .findFirst()
                .orElseThrow();
        HttpResponse<String> webhooks = nodes.get("n3")
                .callJson("PUT", "/sessions/" + elsewhere, "{\"webhooks\": [{\"url\": \"" + receiver.url() + "\"}]}");
        assertThat(webhooks.statusCode()).as(webhooks.body()).isEqualTo(200);
        assertThat(webhooks.headers().firstValue(ForwardingFilter.NODE))
                .as("a body is forwarded too")
                .hasValue(owners.get(elsewhere));
        assertThat(Api.json(nodes.get("n3").call("GET", "/sessions/" + elsewhere))
                        .get("webhooks"))
                .asList()
                .hasSize(1);
        assertThat(nodes.get("n2")
                        .callJson("PUT", "/sessions/" + elsewhere, "{\"webhooks\": []}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(Api.json(nodes.get("n1").call("GET", "/sessions/" + elsewhere))
                        .get("webhooks"))
                .asList()
                .isEmpty();
        HttpResponse<String> made = nodes.get("n3").call("POST", "/sessions/m1/api-keys");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String sessionKey = (String) Api.json(made).get("key");
        for (ClusterNode node : nodes.values()) {
            await(
                    () -> node.call("GET", "/sessions/m1", sessionKey).statusCode() == 200,
                    "the session key works on " + node);
            assertThat(node.call("GET", "/sessions/m2", sessionKey).statusCode())
                    .isEqualTo(403);
        }

        List<SseStream> streams = new ArrayList<>();
        try {
            for (ClusterNode node : nodes.values()) {
                streams.add(new SseStream(node, "/events?type=session.message", null));
            }
            for (String id : SESSIONS) {
                sim.sendMessage(devices.get(id), friend, "hello " + id);
            }
            List<List<String>> seen = new ArrayList<>();
            for (SseStream stream : streams) {
                seen.add(stream.take(SESSIONS.size()).stream()
                        .map(e -> (String) e.get("id"))
                        .toList());
            }
            assertThat(seen.get(1))
                    .as("n2's stream: every node's messages, as n1's")
                    .isEqualTo(seen.get(0));
            assertThat(seen.get(2)).as("n3's stream").isEqualTo(seen.get(0));
            receiver.await(r -> seen.get(0).getLast().equals(r.eventId()), 1, WAIT);
            await(
                    () -> receiver.received().stream()
                            .map(WebhookReceiver.Received::eventId)
                            .collect(Collectors.toSet())
                            .containsAll(seen.get(0)),
                    "the webhook got every message");

            try (SseStream replay = new SseStream(
                    nodes.get("n3"), "/events?type=session.message", seen.get(0).getFirst())) {
                assertThat(replay.take(SESSIONS.size() - 1))
                        .extracting(e -> (String) e.get("id"))
                        .as("Last-Event-ID from n1's stream replays on n3")
                        .isEqualTo(seen.get(0).subList(1, SESSIONS.size()));
            }
            assertThat(deliveries(seen.get(0)))
                    .as("each message event reached the webhook once, not once per node")
                    .allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1));
        } finally {
            streams.forEach(SseStream::close);
        }
        assertThat(sim.replacedConnections())
                .as("logins that met their device connected elsewhere")
                .isZero();
    }

    @Test
    @Order(2)
    void aKilledNodesSessionsOpenOnTheOthersWithinTheLeaseTimeAndWithoutAQr() throws Exception {
        ClusterNode victim = nodes.get("n2");
        List<String> moved = sessionsOf(victim.id);
        assertThat(moved).isNotEmpty();
        long lastEvent = lastEventId();

        long killedAt = System.nanoTime();
        victim.kill();
        Map<String, Long> openedAfter = new TreeMap<>();
        await(
                () -> {
                    for (String id : moved) {
                        if (!openedAfter.containsKey(id) && readyElsewhere(id, victim.id)) {
                            openedAfter.put(id, System.nanoTime() - killedAt);
                        }
                    }
                    return openedAfter.keySet().containsAll(moved);
                },
                "the killed node's sessions open elsewhere");
        long slowest =
                openedAfter.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf(
                "Failover after SIGKILL: %d sessions open on the other nodes after %s (lease %d s)%n",
                moved.size(),
                openedAfter.values().stream()
                        .map(n -> String.format("%.1f s", n / 1e9))
                        .toList(),
                LEASE_SECONDS);
        assertThat(Duration.ofNanos(slowest))
                .as("within the lease time and a few seconds")
                .isLessThan(LEASE.plusSeconds(5));
        assertThat(eventsSince(lastEvent, "session.qr"))
                .as("no QR: the sessions came back with their credentials")
                .isEmpty();
        assertThat(sim.devices()).hasSize(SESSIONS.size());
        assertThat(sim.replacedConnections()).isZero();

        victim.launch().awaitListening();
        await(() -> sessionsOf(victim.id).size() == 2, "the restarted node gets its share back");
        await(() -> allReady(victim), "every session ready");
        assertThat(sim.replacedConnections()).isZero();
    }

    @Test
    @Order(3)
    void aNodePausedPastItsLeaseFindsItselfFencedWritesNothingAndClosesItsSockets() throws Exception {
        ClusterNode victim = nodes.get("n3");
        List<String> moved = sessionsOf(victim.id);
        assertThat(moved).isNotEmpty();

        victim.pause();
        try {
            await(
                    () -> moved.stream().allMatch(id -> readyElsewhere(id, victim.id)),
                    "the paused node's sessions open elsewhere");
        } finally {
            victim.resume();
        }
        long resumedAfter = lastEventId();
        Map<String, String> stored = storedRows(moved);
        await(
                () -> Stream.of(victim.logText().split("\n"))
                                .filter(l -> l.contains("lost the session's lease")
                                        || l.contains("no longer holds the session's lease"))
                                .count()
                        >= moved.size(),
                "the resumed node noticed");
        await(() -> victim.call("GET", "/actuator/health/readiness") != null, "the resumed node answers");
        // two renewal rounds: time for anything it still meant to write or open
        holdsFor(
                LEASE.multipliedBy(2).dividedBy(3),
                () -> sim.replacedConnections() == 0 && storedRows(moved).equals(stored),
                "it opens no second socket and leaves the credentials and session rows of its old sessions untouched");
        assertThat(eventsSince(resumedAfter, "session.closed", "session.removed", "session.qr"))
                .as("nothing published")
                .filteredOn(moved::contains)
                .isEmpty();
        assertThat(statusEventsSince(resumedAfter))
                .as("no reconnect or restart of its old sockets published")
                .filteredOn(moved::contains)
                .isEmpty();
        await(() -> allReady(nodes.get("n1")), "every session ready");
    }

    @Test
    @Order(4)
    void aRollingRestartOfEveryNodeLosesNoSessionAndNoWebhookEvent() throws Exception {
        long before = lastEventId();
        List<String> sent = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        // a steady trickle of messages while the nodes come and go
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleAtFixedRate(
                () -> {
                    int n = next.getAndIncrement();
                    sim.sendMessage(devices.get(SESSIONS.get(n % SESSIONS.size())), friend, "roll-" + n);
                    sent.add("roll-" + n);
                },
                0,
                300,
                TimeUnit.MILLISECONDS);
        try {
            for (ClusterNode node : nodes.values()) {
                node.stop();
                ClusterNode other = nodes.values().stream()
                        .filter(ClusterNode::alive)
                        .findFirst()
                        .orElseThrow();
                await(() -> allReady(other), "every session ready while " + node.id + " is down");
                node.launch().awaitListening();
            }
        } finally {
            traffic.shutdown();
            assertThat(traffic.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        await(() -> allReady(nodes.get("n1")), "every session ready after the rolling restart");
        await(
                () -> receivedTexts().containsAll(sent),
                () -> "every message sent during the restarts reached the webhook; missing "
                        + sent.stream()
                                .filter(t -> !receivedTexts().contains(t))
                                .toList() + ", of which in the event log "
                        + loggedTexts(sent.stream()
                                .filter(t -> !receivedTexts().contains(t))
                                .toList()));

        List<String> logged = eventIdsSince(before);
        await(
                () -> receiver.received().stream()
                        .map(WebhookReceiver.Received::eventId)
                        .collect(Collectors.toSet())
                        .containsAll(logged),
                "every event of the restarts reached the webhook");
        assertThat(deliveries(logged))
                .as("once each")
                .allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1));
        assertThat(eventsSince(before, "session.qr", "session.removed")).isEmpty();
        assertThat(sim.replacedConnections()).isZero();
        System.out.printf(
                "Rolling restart: %d messages and %d events, every one delivered once%n", sent.size(), logged.size());
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> awaitView(
            ClusterNode node, String id, Predicate<Map<String, Object>> condition, String what) {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        await(
                () -> {
                    HttpResponse<String> get = node.call("GET", "/sessions/" + id);
                    if (get == null || get.statusCode() != 200) {
                        return false;
                    }
                    last.set(Api.json(get));
                    return condition.test(last.get());
                },
                id + " " + what);
        return last.get();
    }

    private boolean readyElsewhere(String id, String notOn) {
        for (ClusterNode node : nodes.values()) {
            if (node.alive() && !node.id.equals(notOn)) {
                HttpResponse<String> get = node.call("GET", "/sessions/" + id);
                return get != null
                        && get.statusCode() == 200
                        && "ready".equals(Api.json(get).get("status"))
                        && !notOn.equals(
                                get.headers().firstValue(ForwardingFilter.NODE).orElse(notOn));
            }
        }
        return false;
    }

    private boolean allReady(ClusterNode via) {
        HttpResponse<String> list = via.call("GET", "/sessions");
        if (list == null || list.statusCode() != 200) {
            return false;
        }
        List<Map<String, Object>> views = Api.JSON_LIST_READER.apply(list.body());
        return views.size() == SESSIONS.size() && views.stream().allMatch(v -> "ready".equals(v.get("status")));
    }

    /** The valid leases: session id to owner. */
    private Map<String, String> owners() throws SQLException {
        Map<String, String> owners = new TreeMap<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT session_id, owner FROM session_lease WHERE owner IS NOT NULL AND expires_at > now()");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                owners.put(rs.getString(1), rs.getString(2));
            }
        }
        return owners;
    }

    private List<String> sessionsOf(String node) throws SQLException {
        return owners().entrySet().stream()
                .filter(e -> e.getValue().equals(node))
                .map(Map.Entry::getKey)
                .toList();
    }

    private long lastEventId() throws SQLException {
        return query("SELECT COALESCE(MAX(id), 0) FROM event_log", List.of()).stream()
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow();
    }

    private List<String> eventIdsSince(long after) throws SQLException {
        return query("SELECT id FROM event_log WHERE id > ? ORDER BY id", List.of(after));
    }

    /** Sessions with events of these types after {@code after}. */
    private List<String> eventsSince(long after, String... types) throws SQLException {
        return query(
                "SELECT session_id FROM event_log WHERE id > ? AND type = ANY(?) ORDER BY id",
                List.of(after, (Object) types));
    }

    /** Sessions with a reconnecting or restarting status after {@code after}. */
    private List<String> statusEventsSince(long after) throws SQLException {
        return query(
                "SELECT session_id FROM event_log WHERE id > ? AND type = 'session.status' "
                        + "AND data->>'status' IN ('reconnecting', 'restarting') ORDER BY id",
                List.of(after));
    }

    /** What is stored of these sessions: each credential blob and session row, with its digest and time. */
    private Map<String, String> storedRows(Collection<String> sessions) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        String[] ids = sessions.toArray(String[]::new);
        for (String row : query(
                "SELECT session_id || '/' || name || ' ' || md5(data) || ' ' || updated_at FROM credential "
                        + "WHERE session_id = ANY(?)",
                List.of((Object) ids))) {
            rows.put(row.substring(0, row.indexOf(' ')), row);
        }
        for (String row : query(
                "SELECT session_id || ' ' || desired_running || ' ' || updated_at FROM session_state "
                        + "WHERE session_id = ANY(?)",
                List.of((Object) ids))) {
            rows.put(row.substring(0, row.indexOf(' ')) + "/state", row);
        }
        return rows;
    }

    private List<String> query(String sql, List<Object> parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object p = parameters.get(i);
                if (p instanceof String[] array) {
                    ps.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    /** How often the webhook got each of these event ids. */
    private Map<String, Long> deliveries(List<String> eventIds) {
        Set<String> wanted = Set.copyOf(eventIds);
        return receiver.received().stream()
                .map(WebhookReceiver.Received::eventId)
                .filter(wanted::contains)
                .collect(Collectors.groupingBy(id -> id, TreeMap::new, Collectors.counting()));
    }

    private Set<String> receivedTexts() {
        return receiver.received().stream()
                .map(WebhookReceiver.Received::envelope)
                .filter(e -> "session.message".equals(e.get("type")))
                .map(e -> (String) ((Map<?, ?>) e.get("data")).get("text"))
                .collect(Collectors.toSet());
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition, String what) {
        await(condition, () -> what);
    }

    private static void await(
            java.util.concurrent.Callable<Boolean> condition, java.util.function.Supplier<String> what) {
        try {
            Awaitility.await()
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + WAIT + ": " + what.get(), e);
        }
    }

    private List<String> loggedTexts(List<String> texts) {
        try {
            return query(
                    "SELECT data->>'text' FROM event_log WHERE type = 'session.message' AND data->>'text' = ANY(?)",
                    List.of((Object) texts.toArray(String[]::new)));
        } catch (SQLException e) {
            return List.of(e.toString());
        }
    }

    /** Watches {@code condition} for {@code duration}: something that must not happen. */
    private static void holdsFor(Duration duration, java.util.concurrent.Callable<Boolean> condition, String what) {
        try {
            Awaitility.await()
                    .during(duration)
                    .atMost(duration.plusSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("did not hold for " + duration + ": " + what, e);
        }
    }

    /** An SSE client of one node, with the admin key. */
    private static final class SseStream implements AutoCloseable {

        private final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
        private final HttpResponse<Stream<String>> response;

        SseStream(ClusterNode node, String path, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path))
                    .header("Accept", "text/event-stream")
                    .header("X-Api-Key", KEY);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = node.http()
                    .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                    .get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            Thread.ofVirtual().start(() -> {
                try {
                    response.body()
                            .filter(line -> line.startsWith("data:"))
                            .forEach(line -> events.add(
                                    Api.JSON_READER.apply(line.substring(5).strip())));
                } catch (java.io.UncheckedIOException closedByTheTest) {
                    // the stream ends when the test closes it
                }
            });
        }

        List<Map<String, Object>> take(int count) throws InterruptedException {
            List<Map<String, Object>> taken = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (taken.size() < count && System.nanoTime() < deadline) {
                Map<String, Object> event = events.poll(100, TimeUnit.MILLISECONDS);
                if (event != null) {
                    taken.add(event);
                }
            }
            assertThat(taken).as("%d events within %s", count, WAIT).hasSize(count);
            return taken;
        }

        @Override
        public void close() {
            response.body().close();
        }
    }
}
