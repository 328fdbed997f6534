package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a logged-in client asks and confirms after {@code <success>} (props, blocklist, privacy, usync LID,
 * delivery receipts), over real sockets with {@link RawClient}; the companion links with today's URL-form QR.
 */
class AccountQueriesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final SimulatorExtension simulator = SimulatorExtension.started(SimulatorConfig.defaults());

    private WaSimulator sim;
    private Phone phone;
    private Phone friend;
    private RawClient client;
    private String deviceJid;

    @BeforeEach
    void linkAndLogIn() throws Exception {
        sim = simulator.get();
        phone = sim.addPhone("51987654321");
        friend = sim.addPhone("51911122233");
        RawClient pairing = RawClient.register(sim);
        List<String> refs = pairing.takeRefs(WAIT);
        LinkedDevice device;
        // the phone scans on its own thread (not the common pool, which other tests may keep busy)
        try (ExecutorService phoneThread = Executors.newSingleThreadExecutor()) {
            Future<LinkedDevice> scan = phoneThread.submit(() -> phone.scan(pairing.qrUrl(refs.get(0), "1")));
            deviceJid = pairing.answerPairSuccess(WAIT, pairing.advSecret);
            device = scan.get(10, TimeUnit.SECONDS);
        }
        assertThat(device.jid()).isEqualTo(deviceJid);
        assertThat(pairing.next("stream:error", WAIT).attr("code")).isEqualTo("515");
        pairing.close();
        client = RawClient.login(sim, pairing.noiseKey, "51987654321", device.deviceId());
        client.next("success", WAIT);
        client.next("ib", WAIT);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
    }

    private Node iq(String xmlns, String type, Node... children) {
        return Nodes.parent(
                "iq",
                Nodes.attrs("id", client.nextId(), "xmlns", xmlns, "type", type, "to", "s.whatsapp.net"),
                children);
    }

    private static void assertError(Node answer, int code, String text) {
        assertThat(answer.attr("type")).isEqualTo("error");
        assertThat(answer.child("error").attrs())
                .containsEntry("code", Integer.toString(code))
                .containsEntry("text", text);
    }

    @Test
    void abPropsAreAnEmptyProtocol1Set() {
        Node answer = client.query(iq("abt", "get", Nodes.node("props", "protocol", "1")), WAIT);
        assertThat(answer.attr("type")).isEqualTo("result");
        Node props = answer.child("props");
        assertThat(props.attrs()).containsExactly(Map.entry("protocol", "1"));
        assertThat(props.hasContent()).isFalse();
    }

    @Test
    void theRetiredServerPropsQueryIsABadRequestAsOnTheRealServer() {
        assertError(
                client.query(iq("w", "get", Nodes.node("props", "protocol", "2", "hash", "")), WAIT),
                400,
                "bad-request");
    }

    @Test
    void blocklistIsAnEmptyList() {
        Node answer = client.query(iq("blocklist", "get"), WAIT);
        assertThat(answer.attr("type")).isEqualTo("result");
        assertThat(answer.child("list").children()).isEmpty();
    }

    @Test
    void privacySettingsNameEveryCategory() {
        Node answer = client.query(iq("privacy", "get", Node.of("privacy")), WAIT);
        Map<String, String> categories = answer.child("privacy").children("category").stream()
                .collect(Collectors.toMap(c -> c.attr("name"), c -> c.attr("value")));
        assertThat(categories)
                .isEqualTo(PrivacyQuery.SETTINGS)
                .containsKeys("last", "online", "profile", "status", "groupadd", "readreceipts", "calladd", "messages");
    }

    private Node usync(List<Node> protocols, List<Node> users) {
        return iq(
                "usync",
                "get",
                Nodes.parent(
                        "usync",
                        Nodes.attrs(
                                "sid", "s1", "mode", "query", "context", "background", "last", "true", "index", "0"),
                        Node.withChildren("query", Nodes.attrs(), protocols),
                        Node.withChildren("list", Nodes.attrs(), users)));
    }

    private static Node user(String jid) {
        return Nodes.node("user", "jid", jid);
    }

    @Test
    void usyncLidNamesTheLidOfEachKnownNumber() {
        Node answer = client.query(
                usync(
                        List.of(Node.of("lid")),
                        List.of(
                                user(friend.jid()),
                                user("51911122233:2@s.whatsapp.net"),
                                user("5215550000@s.whatsapp.net"),
                                user("123@lid"))),
                WAIT);
        assertThat(answer.attr("type")).isEqualTo("result");
        List<Node> users = answer.child("usync").child("list").children("user");
        assertThat(users)
                .extracting(u -> u.attr("jid"))
                .containsExactly(friend.jid(), "51911122233:2@s.whatsapp.net", "5215550000@s.whatsapp.net", "123@lid");
        assertThat(users.get(0).child("lid").attr("val")).isEqualTo(friend.lidUser() + "@lid");
        assertThat(users.get(1).child("lid").attr("val")).isEqualTo(friend.lidUser() + "@lid");
        assertThat(users.get(2).child("lid").attrs()).isEmpty();
        assertThat(users.get(3).child("lid").attrs()).isEmpty();
    }

    @Test
    void usyncProtocolsNotSimulatedAreNotImplementedAndAMalformedQueryIsABadRequest() {
        assertError(
                client.query(
                        usync(
                                List.of(Node.of("lid"), Nodes.node("devices", "version", "2")),
                                List.of(user(friend.jid()))),
                        WAIT),
                501,
                "feature-not-implemented");
        assertError(client.query(usync(List.of(), List.of(user(friend.jid()))), WAIT), 400, "bad-request");
        assertError(client.query(usync(List.of(Node.of("lid")), List.of(Node.of("user"))), WAIT), 400, "bad-request");
        assertError(
                client.query(iq("usync", "get", Nodes.parent("usync", Nodes.attrs(), Node.of("query"))), WAIT),
                400,
                "bad-request");
    }

    @Test
    void accountQueriesNeedALogin() {
        RawClient pairing = RawClient.register(sim);
        try {
            pairing.takeRefs(WAIT);
            assertError(
                    pairing.query(
                            Nodes.parent(
                                    "iq",
                                    Nodes.attrs(
                                            "id",
                                            pairing.nextId(),
                                            "xmlns",
                                            "blocklist",
                                            "type",
                                            "get",
                                            "to",
                                            "s.whatsapp.net")),
                            WAIT),
                    501,
                    "feature-not-implemented");
        } finally {
            pairing.close();
        }
    }

    @Test
    void aDeliveryReceiptConfirmsEveryMessageItNames() {
        String first = sim.sendMessage(deviceJid, friend, "one");
        String second = sim.sendMessage(deviceJid, friend, "two");
        String third = sim.sendMessage(deviceJid, friend, "three");
        for (int i = 0; i < 3; i++) {
            client.next("message", WAIT);
        }
        // Baileys 7 answers a decrypted message with a receipt only (type inactive while not "online")
        client.send(Nodes.parent(
                "receipt",
                Nodes.attrs("id", first, "to", friend.jid(), "type", "inactive"),
                Nodes.parent("list", Nodes.attrs(), Nodes.node("item", "id", second))));
        sim.takeNode(deviceJid, n -> n.tag().equals("receipt"), WAIT);
        assertThat(sim.pendingMessages(deviceJid))
                .extracting(SimulatorState.PendingMessage::id)
                .containsExactly(third);
        client.send(Nodes.node("receipt", "id", third, "to", friend.jid()));
        sim.takeNode(deviceJid, n -> n.tag().equals("receipt"), WAIT);
        assertThat(sim.pendingMessages(deviceJid)).isEmpty();
    }

    @Test
    void aRetryReceiptDoesNotConfirmTheMessage() {
        String id = sim.sendMessage(deviceJid, friend, "undecryptable");
        client.next("message", WAIT);
        client.send(Nodes.parent(
                "receipt",
                Nodes.attrs("id", id, "to", friend.jid(), "type", "retry"),
                Nodes.node("retry", "count", "1", "id", id)));
        sim.takeNode(deviceJid, n -> n.tag().equals("receipt"), WAIT);
        client.send(Nodes.node("receipt", "id", id, "to", friend.jid(), "type", "server-error"));
        sim.takeNode(deviceJid, n -> n.tag().equals("receipt"), WAIT);
        assertThat(sim.pendingMessages(deviceJid))
                .extracting(SimulatorState.PendingMessage::id)
                .containsExactly(id);
    }
}
