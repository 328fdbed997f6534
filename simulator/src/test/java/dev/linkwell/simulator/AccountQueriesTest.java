package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.stanza.PreKeyCount;
import dev.linkwell.protocol.stanza.PreKeyFetch;
import dev.linkwell.protocol.stanza.PreKeyUpload;
import dev.linkwell.protocol.stanza.Usync;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a logged-in client asks and confirms after {@code <success>} (props, blocklist, privacy, usync LID and
 * devices, prekey fetches, delivery receipts), over real sockets with {@link RawClient}; the companion links with today's URL-form QR.
 */
class AccountQueriesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
        RawClient pairing = RawClient.pairByQr(sim, phone, WAIT);
        deviceJid = pairing.pairedJid;
        client = RawClient.login(
                sim, pairing.noiseKey, "51987654321", sim.device(deviceJid).deviceId());
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
                client.query(usync(List.of(Node.of("lid"), Node.of("status")), List.of(user(friend.jid()))), WAIT),
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
    void usyncContactSaysWhichNumbersHaveAnAccountAsBaileysOnWhatsAppAsks() {
        Node query = iq(
                "usync",
                "get",
                Nodes.parent(
                        "usync",
                        Nodes.attrs(
                                "sid", "s2", "mode", "query", "context", "interactive", "last", "true", "index", "0"),
                        Nodes.parent("query", Nodes.attrs(), Node.of("contact")),
                        Node.withChildren(
                                "list",
                                Nodes.attrs(),
                                List.of(
                                        Nodes.parent(
                                                "user",
                                                Nodes.attrs(),
                                                Node.withString("contact", Nodes.attrs(), "+" + friend.number())),
                                        Nodes.parent(
                                                "user",
                                                Nodes.attrs(),
                                                Node.withString("contact", Nodes.attrs(), "+5215550000@c.us"))))));
        List<Node> users =
                client.query(query, WAIT).child("usync").child("list").children("user");
        assertThat(users).extracting(u -> u.attr("jid")).containsExactly(friend.jid(), "5215550000@s.whatsapp.net");
        assertThat(users.get(0).child("contact").attr("type")).isEqualTo("in");
        assertThat(users.get(0).child("contact").contentString()).isEqualTo("+" + friend.number());
        assertThat(users.get(1).child("contact").attr("type")).isEqualTo("out");
        assertThat(users.get(1).child("contact").contentString()).isEqualTo("+5215550000@c.us");
        assertError(
                client.query(
                        iq(
                                "usync",
                                "get",
                                Nodes.parent(
                                        "usync",
                                        Nodes.attrs(),
                                        Nodes.parent("query", Nodes.attrs(), Node.of("contact")),
                                        Nodes.parent(
                                                "list",
                                                Nodes.attrs(),
                                                Nodes.parent(
                                                        "user",
                                                        Nodes.attrs(),
                                                        Node.withString("contact", Nodes.attrs(), "not a number"))))),
                        WAIT),
                400,
                "bad-request");
    }

    @Test
    void usyncDevicesListThePhoneAndItsCompanionsWithTheirKeyIndexByNumberOrLid() {
        LinkedDevice companion = sim.device(deviceJid);
        Node answer = client.query(
                Usync.deviceQuery(
                        client.nextId(),
                        "sid-1",
                        List.of(
                                Jid.parse(phone.jid()),
                                Jid.parse(friend.lid()),
                                Jid.parse("5215550000@s.whatsapp.net"))),
                WAIT);
        List<Usync.User> users = Usync.users(answer);
        assertThat(users)
                .extracting(Usync.User::jid)
                .containsExactly(phone.jid(), friend.lid(), "5215550000@s.whatsapp.net");
        assertThat(users.get(0).devices())
                .contains(List.of(
                        new Usync.Device(0, 0, false),
                        new Usync.Device(companion.deviceId(), companion.keyIndex(), false)));
        assertThat(users.get(0).lid()).contains(phone.lid());
        assertThat(users.get(1).devices()).contains(List.of(new Usync.Device(0, 0, false)));
        assertThat(users.get(1).lid()).as("a LID user has no further LID").isEmpty();
        assertThat(users.get(2).devices()).as("no account: no devices").contains(List.of());
        assertThat(users.get(2).lid()).isEmpty();
        // the wire: a companion names its key index, the phone none (Baileys extractDeviceJids)
        Node deviceList = answer.child("usync")
                .child("list")
                .children("user")
                .get(0)
                .child("devices")
                .child("device-list");
        assertThat(deviceList.children())
                .extracting(d -> d.attr("key-index"))
                .containsExactly(null, Integer.toString(companion.keyIndex()));
    }

    @Test
    void aPreKeyFetchHandsOutEachOneTimePreKeyOnceThenTheSignedPreKeyAlone() {
        LinkedDevice companion = sim.device(deviceJid);
        List<PreKeyUpload.Key> uploaded = List.of(
                new PreKeyUpload.Key(7, KeyPair.generate().publicKey()),
                new PreKeyUpload.Key(8, KeyPair.generate().publicKey()),
                new PreKeyUpload.Key(9, KeyPair.generate().publicKey()));
        Node answer = client.query(
                new PreKeyUpload(companion.registrationId(), companion.identityPublicKey(), uploaded, Optional.empty())
                        .toNode(client.nextId()),
                WAIT);
        assertThat(answer.attr("type")).isEqualTo("result");
        // the phone may take one itself (what it sends a new companion starts a session), the rest are ours: by
        // phone number or by LID, each once, oldest first, then the signed prekey alone
        List<Jid> names = List.of(Jid.parse(deviceJid), Jid.parse(companion.lid()));
        List<PreKeyBundle> bundles = new ArrayList<>();
        for (int i = 0; bundles.isEmpty() || bundles.getLast().preKeyId().isPresent(); i++) {
            assertThat(i).as("fetches before the keys ran out").isLessThan(uploaded.size() + 1);
            Jid asked = names.get(i % 2);
            Map<String, PreKeyFetch.Result> results =
                    PreKeyFetch.results(client.query(PreKeyFetch.query(client.nextId(), List.of(asked), false), WAIT));
            assertThat(results).containsOnlyKeys(asked.toString());
            bundles.add(results.get(asked.toString()).bundle().orElseThrow());
        }
        List<Integer> ids = bundles.subList(0, bundles.size() - 1).stream()
                .map(b -> b.preKeyId().getAsInt())
                .toList();
        assertThat(ids)
                .hasSizeGreaterThanOrEqualTo(2)
                .isSorted()
                .doesNotHaveDuplicates()
                .isSubsetOf(7, 8, 9);
        PreKeyBundle first = bundles.getFirst();
        assertThat(first.preKey())
                .isEqualTo(uploaded.stream()
                        .filter(k -> k.id() == ids.getFirst())
                        .findFirst()
                        .orElseThrow()
                        .publicKey());
        for (PreKeyBundle b : bundles) {
            assertThat(b.registrationId()).isEqualTo(companion.registrationId());
            assertThat(b.identityKey().publicKey()).isEqualTo(companion.identityPublicKey());
            assertThat(b.signedPreKeyId()).isEqualTo(companion.signedPreKeyId());
            assertThat(b.signedPreKey()).isEqualTo(companion.signedPreKeyPublic());
            assertThat(b.signedPreKeySignature()).isEqualTo(companion.signedPreKeySignature());
        }
        assertThat(PreKeyCount.in(client.query(PreKeyCount.query(client.nextId()), WAIT)))
                .as("the server holds none it did not hand out")
                .isZero();
    }

    @Test
    void aPreKeyFetchRefusesUnknownDevicesOneByOneAndMalformedFetchesWhole() {
        String unknown = friend.number() + ":9@s.whatsapp.net";
        Map<String, PreKeyFetch.Result> results = PreKeyFetch.results(client.query(
                PreKeyFetch.query(client.nextId(), List.of(Jid.parse(unknown), Jid.parse(deviceJid)), true), WAIT));
        assertThat(results.get(unknown).error())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(406));
        assertThat(results.get(deviceJid).bundle()).isPresent();
        assertError(
                client.query(
                        iq("encrypt", "get", Node.withChildren("key", Nodes.attrs(), List.of(user("123@g.us")))), WAIT),
                400,
                "bad-request");
        assertError(client.query(iq("encrypt", "get", Node.of("key")), WAIT), 400, "bad-request");
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
