package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server flows driven by {@link RawClient} (protocol module pieces only). */
class SimulatorFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final SimulatorExtension simulators = SimulatorExtension.onDemand();

    private WaSimulator sim;

    /** A simulator whose time moves only when the test says so; the first node comes at once. */
    private WaSimulator startWithManualClock(SimulatorConfig config) {
        return simulators.startWithManualClock(config.withPostHandshakeDelay(Duration.ZERO));
    }

    /** The server closes a stream {@link WaSimulator#STREAM_END_GRACE} after ending it. */
    private void streamEndGracePasses() {
        if (simulators.manualClock()) {
            simulators.clock().advance(WaSimulator.STREAM_END_GRACE);
        }
    }

    /** Pairs a new companion by QR and returns the (closed) pairing client and the device. */
    private Paired pair(Phone phone) throws Exception {
        RawClient c = RawClient.register(sim);
        List<String> refs = c.takeRefs(WAIT);
        assertThat(refs).hasSize(sim.config().qrRefCount());
        CompletableFuture<LinkedDevice> scan = CompletableFuture.supplyAsync(() -> phone.scan(c.qr(refs.get(0))));
        String jid = c.answerPairSuccess(WAIT, c.advSecret);
        LinkedDevice device = scan.get(10, TimeUnit.SECONDS);
        assertThat(device.jid()).isEqualTo(jid);
        Node error = c.next("stream:error", WAIT);
        assertThat(error.attr("code")).isEqualTo("515");
        streamEndGracePasses();
        assertThat(c.awaitClosed(WAIT)).isTrue();
        return new Paired(c, device);
    }

    private record Paired(RawClient client, LinkedDevice device) {
        String user() {
            return device.jid().substring(0, device.jid().indexOf(':'));
        }
    }

    private RawClient login(Paired p) {
        RawClient c =
                RawClient.login(sim, p.client().noiseKey, p.user(), p.device().deviceId());
        Node success = c.next("success", WAIT);
        assertThat(success.attr("lid")).isEqualTo(p.device().lid());
        return c;
    }

    /**
     * What a client does not ack is replayed at its next login, and after {@code maxAckReplays} replays the
     * server ends the stream over it with {@code <stream:error><ack class id/></stream:error>}; an acked
     * stanza is never replayed.
     */
    @Test
    void unackedStanzasAreReplayedThenTheStreamIsForceClosed() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults().withMaxAckReplays(2));
        Phone phone = sim.addPhone("51987654399");
        Phone friend = sim.addPhone("51911122299");
        Paired p = pair(phone);
        String jid = p.device().jid();
        String statusId;
        String acked;
        try (RawClient c = login(p)) {
            c.next("ib", WAIT);
            statusId = sim.sendStanza(jid, "status", friend);
            Node status = c.next("status", WAIT);
            assertThat(status.attr("from")).isEqualTo("status@broadcast");
            assertThat(status.attr("participant")).isEqualTo(friend.jid());
            acked = sim.sendStanza(jid, "appdata", friend);
            Node appdata = c.next("appdata", WAIT);
            c.send(Nodes.node("ack", "class", "appdata", "id", acked, "to", appdata.attr("from")));
            await().atMost(WAIT).until(() -> sim.unacked(jid).size() <= 1);
            assertThat(sim.unacked(jid)).extracting(n -> n.attr("id")).containsExactly(statusId);
        }
        for (int login = 1; login <= 2; login++) {
            try (RawClient c = login(p)) {
                Node again = c.next("status", WAIT);
                assertThat(again.attr("id")).as("replay %d", login).isEqualTo(statusId);
            }
        }
        try (RawClient c = login(p)) {
            Node error = c.next("stream:error", WAIT);
            assertThat(error.attr("code")).isNull();
            assertThat(error.child("ack").attr("class")).isEqualTo("status");
            assertThat(error.child("ack").attr("id")).isEqualTo(statusId);
            streamEndGracePasses();
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.events()).filteredOn(e -> e.type().equals("replayed")).hasSize(2);
        assertThat(sim.events())
                .filteredOn(e -> e.type().equals("force-closed"))
                .hasSize(1);
    }

    @Test
    void qrPairingLoginAndMessage() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51987654321");
        Phone friend = sim.addPhone("51911122233");
        Paired p = pair(phone);
        assertThat(p.device().jid()).isEqualTo("51987654321:1@s.whatsapp.net");
        assertThat(p.device().lid()).endsWith(":1@lid");
        assertThat(p.device().noisePublicKey()).isEqualTo(p.client().noiseKey.publicKey());
        assertThat(p.device().identityPublicKey())
                .isEqualTo(p.client().identityKey.publicKey());
        assertThat(p.device().registrationId()).isEqualTo(p.client().registrationId);
        assertThat(sim.devices()).containsExactly(p.device());

        try (RawClient c = login(p)) {
            Node offline = c.next("ib", WAIT).child("offline");
            assertThat(offline.attr("count")).isEqualTo("0");
            sim.awaitConnected(p.device().jid(), WAIT);
            assertThat(sim.isConnected(p.device().jid())).isTrue();

            Node count = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "encrypt", "type", "get", "to", "@s.whatsapp.net"),
                            Nodes.node("count")),
                    WAIT);
            assertThat(count.child("count").attr("value")).isEqualTo("0");

            String id = sim.sendMessage(p.device().jid(), friend, "hello");
            Node message = c.next("message", WAIT);
            assertThat(message.attr("id")).isEqualTo(id);
            assertThat(message.attr("from")).isEqualTo("51911122233@s.whatsapp.net");
            assertThat(message.attr("notify")).isEqualTo(friend.pushName());
            Node enc = message.child("enc");
            assertThat(enc.attr("v")).isEqualTo("2");
            assertThat(enc.attr("type"))
                    .as("no session yet, and no uploaded prekey: X3DH without one")
                    .isEqualTo("pkmsg");
            byte[] padded = new SessionCipher(p.client().signalStore())
                    .decrypt(SignalAddress.parse("51911122233.0"), CiphertextType.PKMSG, enc.contentBytes())
                    .plaintext();
            assertThat(Message.parseFrom(WhatsAppPadding.unpad(padded)).getConversation())
                    .isEqualTo("hello");
            assertThat(sim.pendingMessages(p.device().jid())).hasSize(1);
            c.send(Nodes.node("ack", "id", id, "to", message.attr("from"), "class", "message"));
            sim.takeNode(p.device().jid(), n -> n.tag().equals("ack"), WAIT);
            assertThat(sim.pendingMessages(p.device().jid())).isEmpty();
        }
    }

    @Test
    void messagesWaitForAnOfflineDeviceAndComeBeforeOfflineMarker() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51987654321");
        Paired p = pair(phone);
        String id = phone.sendMessage(p.device().jid(), "note to self");
        try (RawClient c = login(p)) {
            Node message = c.next(n -> !n.tag().equals("iq"), WAIT);
            assertThat(message.tag()).isEqualTo("message");
            assertThat(message.attr("id")).isEqualTo(id);
            c.send(Nodes.node("ack", "id", id, "to", message.attr("from"), "class", "message"));
            Node ib = c.next("ib", WAIT);
            assertThat(ib.child("offline").attr("count")).isEqualTo("1");
        }
    }

    @Test
    void iqsAreAnsweredAndRecorded() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        try (RawClient c = login(p)) {
            Node pong = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "w:p", "type", "get", "to", "@s.whatsapp.net"),
                            Nodes.node("ping")),
                    WAIT);
            assertThat(pong.attr("type")).isEqualTo("result");
            Node passive = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "passive", "type", "set", "to", "@s.whatsapp.net"),
                            Nodes.node("active")),
                    WAIT);
            assertThat(passive.attr("type")).isEqualTo("result");
            Node unknown = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "w:nope", "type", "get", "to", "@s.whatsapp.net"),
                            Nodes.node("whatever")),
                    WAIT);
            assertThat(unknown.attr("type")).isEqualTo("error");
            assertThat(unknown.child("error").attr("code")).isEqualTo("501");

            Node upload = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "encrypt", "type", "set", "to", "@s.whatsapp.net"),
                            Nodes.bytes("registration", new byte[] {0, 0, 0, 1}),
                            Nodes.bytes("type", new byte[] {5}),
                            Nodes.bytes("identity", c.identityKey.publicKey()),
                            Nodes.parent(
                                    "list",
                                    Nodes.attrs(),
                                    Nodes.parent(
                                            "key",
                                            Nodes.attrs(),
                                            Nodes.bytes("id", new byte[] {0, 0, 7}),
                                            Nodes.bytes("value", new byte[32])),
                                    Nodes.parent(
                                            "key",
                                            Nodes.attrs(),
                                            Nodes.bytes("id", new byte[] {0, 0, 8}),
                                            Nodes.bytes("value", new byte[32])))),
                    WAIT);
            assertThat(upload.attr("type")).isEqualTo("result");
            assertThat(sim.preKeys(p.device().jid()))
                    .extracting(UploadedPreKey::id)
                    .containsExactly(7, 8);
            // the first upload makes the phone write to its new companion: it is handed prekey 7, which is no key
            SimulatorEvent synced = sim.awaitEvent(e -> e instanceof SimulatorEvent.CompanionSynced, WAIT);
            assertThat(synced.detail()).contains("not sent");
            Node count = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "encrypt", "type", "get", "to", "@s.whatsapp.net"),
                            Nodes.node("count")),
                    WAIT);
            assertThat(count.child("count").attr("value"))
                    .as("uploaded, not handed out")
                    .isEqualTo("1");
            Node digest = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "encrypt", "type", "get", "to", "@s.whatsapp.net"),
                            Nodes.node("digest")),
                    WAIT);
            assertThat(digest.child("digest").child("list").children("id")).hasSize(2);

            RecordedNode recorded = sim.takeNode(p.device().jid(), n -> n.isIq("w:nope", "whatever"), WAIT);
            assertThat(recorded.connectionId()).isPositive();
            // a node is recorded right after the server handled it (its answer may arrive first)
            sim.takeNode(p.device().jid(), n -> n.isIq("encrypt", "digest"), WAIT);
            assertThat(sim.nodes(p.device().jid())).hasSizeGreaterThanOrEqualTo(6);
        }
    }

    private static Node preKeyUpload(RawClient c, int firstId, int count, Node... extra) {
        List<Node> keys = new java.util.ArrayList<>();
        for (int id = firstId; id < firstId + count; id++) {
            keys.add(Nodes.parent(
                    "key",
                    Nodes.attrs(),
                    Nodes.bytes("id", new byte[] {(byte) (id >> 16), (byte) (id >> 8), (byte) id}),
                    Nodes.bytes("value", new byte[32])));
        }
        List<Node> children = new java.util.ArrayList<>(List.of(
                Nodes.bytes("registration", new byte[] {0, 0, 0, 1}),
                Nodes.bytes("type", new byte[] {5}),
                Nodes.bytes("identity", c.identityKey.publicKey()),
                Node.withChildren("list", Nodes.attrs(), keys)));
        children.addAll(List.of(extra));
        return Node.withChildren(
                "iq",
                Nodes.attrs("id", c.nextId(), "xmlns", "encrypt", "type", "set", "to", "@s.whatsapp.net"),
                children);
    }

    @Test
    void preKeyStorageIsBoundedAndAMalformedSignedPreKeyIsABadRequest() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        try (RawClient c = login(p)) {
            int batch = WaSimulator.MAX_PREKEYS_PER_DEVICE * 3 / 4;
            assertThat(c.query(preKeyUpload(c, 1, batch), WAIT).attr("type")).isEqualTo("result");
            assertThat(c.query(preKeyUpload(c, 1 + batch, batch), WAIT).attr("type"))
                    .isEqualTo("result");
            List<UploadedPreKey> kept = sim.preKeys(p.device().jid());
            // the newest are kept, the oldest dropped
            assertThat(kept).hasSize(WaSimulator.MAX_PREKEYS_PER_DEVICE);
            assertThat(kept.get(kept.size() - 1).id()).isEqualTo(2 * batch);
            assertThat(kept.get(0).id()).isEqualTo(2 * batch - WaSimulator.MAX_PREKEYS_PER_DEVICE + 1);

            // <skey><id/>... with an empty id: answered with 400, the connection stays up
            Node bad = c.query(
                    preKeyUpload(
                            c,
                            5000,
                            1,
                            Nodes.parent(
                                    "skey",
                                    Nodes.attrs(),
                                    Nodes.node("id"),
                                    Nodes.bytes("value", new byte[32]),
                                    Nodes.bytes("signature", new byte[64]))),
                    WAIT);
            assertThat(bad.attr("type")).isEqualTo("error");
            assertThat(bad.child("error").attr("code")).isEqualTo("400");
            Node pong = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "w:p", "type", "get", "to", "@s.whatsapp.net"),
                            Nodes.node("ping")),
                    WAIT);
            assertThat(pong.attr("type")).isEqualTo("result");
        }
    }

    @Test
    void recordingIsBoundedByBytesAsWellAsByCount() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        int big = 15 * 1024 * 1024;
        int count = (int) (WaSimulator.MAX_RECORDED_BYTES / big) + 2;
        try (RawClient c = login(p)) {
            for (int i = 0; i < count; i++) {
                c.send(Node.withBytes("receipt", Nodes.attrs("id", "R" + i), new byte[big]));
            }
            Node pong = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "w:p", "type", "get", "to", "@s.whatsapp.net"),
                            Nodes.node("ping")),
                    Duration.ofSeconds(30));
            assertThat(pong.attr("type")).isEqualTo("result");
        }
        List<RecordedNode> receipts = sim.nodes(p.device().jid()).stream()
                .filter(n -> n.tag().equals("receipt"))
                .toList();
        assertThat(receipts.size()).isLessThan(count).isGreaterThanOrEqualTo(1);
        assertThat(receipts.get(receipts.size() - 1).node().attr("id")).isEqualTo("R" + (count - 1));
        assertThat((long) receipts.size() * big).isLessThanOrEqualTo(WaSimulator.MAX_RECORDED_BYTES);
    }

    /** A ban refuses every login with the seconds it still lasts, on the simulator's clock, until it is over. */
    @Test
    void aTemporaryBanRefusesLoginsUntilItsTimeIsUp() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        String jid = p.device().jid();
        try (RawClient c = login(p)) {
            sim.temporaryBan(jid, 101, Duration.ofHours(1));
            Node failure = c.next("failure", WAIT);
            assertThat(failure.attrs())
                    .containsEntry("reason", "402")
                    .containsEntry("code", "101")
                    .containsEntry("expire", "3600");
        }
        simulators.clock().advance(Duration.ofMinutes(59));
        try (RawClient c =
                RawClient.login(sim, p.client().noiseKey, p.user(), p.device().deviceId())) {
            assertThat(c.next("failure", WAIT).attr("expire")).isEqualTo("60");
        }
        simulators.clock().advance(Duration.ofMinutes(1));
        try (RawClient c = login(p)) {
            assertThat(c.next("ib", WAIT).child("offline")).isNotNull();
        }
        assertThat(sim.events())
                .filteredOn(e -> e.type().equals("login-rejected"))
                .extracting(SimulatorEvent::detail)
                .containsExactly("failure 402");
    }

    @Test
    void unknownDeviceOrWrongNoiseKeyGetsFailure401() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        try (RawClient stranger = RawClient.login(
                sim,
                dev.linkwell.protocol.crypto.KeyPair.generate(),
                p.user(),
                p.device().deviceId())) {
            assertThat(stranger.next("failure", WAIT).attr("reason")).isEqualTo("401");
            streamEndGracePasses();
            assertThat(stranger.awaitClosed(WAIT)).isTrue();
        }
        try (RawClient unknown = RawClient.login(sim, p.client().noiseKey, p.user(), 9)) {
            assertThat(unknown.next("failure", WAIT).attr("reason")).isEqualTo("401");
        }
        assertThat(sim.events()).anyMatch(e -> e.type().equals("login-rejected"));
    }

    @Test
    void commandsSendTheRealStreamErrors() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51987654321");
        Paired p = pair(phone);
        String jid = p.device().jid();

        try (RawClient c = login(p)) {
            sim.awaitConnected(jid, WAIT);
            sim.streamError(jid, 503);
            assertThat(c.next("stream:error", WAIT).attr("code")).isEqualTo("503");
            streamEndGracePasses();
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        try (RawClient c = login(p)) {
            waitConnected(jid);
            sim.replace(jid);
            Node e = c.next("stream:error", WAIT);
            assertThat(e.attr("code")).isNull();
            assertThat(e.child("conflict").attr("type")).isEqualTo("replaced");
        }
        try (RawClient c = login(p)) {
            waitConnected(jid);
            sim.failure(jid, 403);
            assertThat(c.next("failure", WAIT).attr("reason")).isEqualTo("403");
        }
        try (RawClient c = login(p)) {
            waitConnected(jid);
            sim.drop(jid);
            assertThat(c.awaitClosed(WAIT)).isTrue();
            assertThat(c.closeCode()).isNotEqualTo(1000);
        }
        try (RawClient c = login(p)) {
            waitConnected(jid);
            // a second login for the same device replaces the first, as the real server does
            try (RawClient second = login(p)) {
                assertThat(c.next("stream:error", WAIT).child("conflict").attr("type"))
                        .isEqualTo("replaced");
                waitConnected(jid);
                sim.removeDevice(jid);
                Node e = second.next("stream:error", WAIT);
                assertThat(e.attr("code")).isEqualTo("401");
                assertThat(e.child("conflict").attr("type")).isEqualTo("device_removed");
            }
        }
        assertThat(sim.devices()).isEmpty();
        assertThatThrownBy(() -> sim.streamError(jid, 503))
                .isInstanceOf(SimulatorException.class)
                .extracting(e -> ((SimulatorException) e).status())
                .isEqualTo(404);
    }

    @Test
    void countsOnlyLoginsThatMeetTheDeviceStillConnected() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        String jid = p.device().jid();

        try (RawClient first = login(p)) {
            waitConnected(jid);
        }
        await().atMost(WAIT).until(() -> !sim.isConnected(jid));
        try (RawClient second = login(p)) {
            waitConnected(jid);
            assertThat(sim.replacedConnections())
                    .as("a login after the last socket closed")
                    .isZero();
            try (RawClient third = login(p)) {
                assertThat(second.next("stream:error", WAIT).child("conflict").attr("type"))
                        .isEqualTo("replaced");
                assertThat(sim.replacedConnections())
                        .as("a login while another socket was logged in")
                        .isEqualTo(1);
                sim.replace(jid);
                assertThat(third.next("stream:error", WAIT).child("conflict").attr("type"))
                        .isEqualTo("replaced");
            }
        }
        assertThat(sim.replacedConnections())
                .as("the replace command opens no second socket")
                .isEqualTo(1);
    }

    private void waitConnected(String jid) {
        await().atMost(WAIT).until(() -> sim.isConnected(jid));
    }

    @Test
    void refsExpireOnScheduleAndAnUnlinkedConnectionEndsWithStreamEnd() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults()
                .withQrRefCount(2)
                .withQrRefTimeouts(Duration.ofMillis(2000), Duration.ofMillis(1000))
                .withRefGrace(Duration.ZERO)
                .withUnpairedLifetime(Duration.ofMillis(4500)));
        Phone phone = sim.addPhone("51987654321");
        try (RawClient c = RawClient.register(sim)) {
            List<String> refs = c.takeRefs(WAIT);
            assertThat(refs).hasSize(2).doesNotHaveDuplicates();
            // the second ref is not on screen yet
            assertThatThrownBy(() -> phone.scan(c.qr(refs.get(1))))
                    .isInstanceOf(SimulatorException.class)
                    .hasMessageContaining("not valid now");
            simulators.clock().advance(Duration.ofMillis(2100));
            assertThatThrownBy(() -> phone.scan(c.qr(refs.get(0))))
                    .isInstanceOf(SimulatorException.class)
                    .extracting(e -> ((SimulatorException) e).status())
                    .isEqualTo(410);
            simulators.clock().advance(Duration.ofMillis(900));
            sim.awaitEvent(e -> e.type().equals("refs-exhausted"), WAIT);
            assertThat(c.awaitClosed(Duration.ofMillis(200)))
                    .as("still open after the refs")
                    .isFalse();
            simulators.clock().advance(Duration.ofMillis(1500));
            assertThat(c.next("xmlstreamend", WAIT)).isNotNull();
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.events()).anyMatch(e -> e.type().equals("unpaired-timeout"));
        assertThat(sim.devices()).isEmpty();
    }

    @Test
    void scanChecksTheQrAgainstTheConnection() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51987654321");
        try (RawClient c = RawClient.register(sim);
                RawClient other = RawClient.register(sim)) {
            List<String> refs = c.takeRefs(WAIT);
            other.takeRefs(WAIT);
            String forged = String.join(
                    ",",
                    refs.get(0),
                    other.qr("x").split(",")[1],
                    c.qr("x").split(",")[2],
                    c.qr("x").split(",")[3]);
            assertThatThrownBy(() -> phone.scan(forged)).hasMessageContaining("noise key");
            assertThatThrownBy(() -> phone.scan(c.qr("2@unknown")))
                    .hasMessageContaining("unknown")
                    .extracting(e -> ((SimulatorException) e).status())
                    .isEqualTo(404);
            assertThatThrownBy(() -> phone.scan("not a qr"))
                    .extracting(e -> ((SimulatorException) e).status())
                    .isEqualTo(400);
        }
    }

    @Test
    void anUnresponsiveClientIsNoticedAndClosed() throws Exception {
        sim = startWithManualClock(
                SimulatorConfig.defaults().withServerPing(Duration.ofMillis(100), Duration.ofMillis(500)));
        Paired p = pair(sim.addPhone("51987654321"));
        try (RawClient c = login(p)) {
            simulators.clock().advance(Duration.ofMillis(100));
            Node ping = c.next(n -> n.tag().equals("iq") && "urn:xmpp:ping".equals(n.attr("xmlns")), WAIT);
            assertThat(ping.attr("type")).isEqualTo("get");
            simulators.clock().advance(Duration.ofMillis(600));
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        SimulatorEvent e = sim.awaitEvent(ev -> ev.type().equals("unresponsive"), WAIT);
        assertThat(e.deviceJid()).isEqualTo(p.device().jid());
    }

    /** Reads and drops whatever already arrived (or arrives within 200 ms); at most 20 nodes. */
    private static void drain(RawClient c) {
        for (int i = 0; i < 20; i++) {
            try {
                c.next(n -> true, Duration.ofMillis(200));
            } catch (AssertionError nothingMore) {
                return;
            }
        }
    }

    private static Node ping(RawClient c) {
        return Nodes.parent(
                "iq",
                Nodes.attrs("id", c.nextId(), "xmlns", "w:p", "type", "get", "to", "@s.whatsapp.net"),
                Nodes.node("ping"));
    }

    @Test
    void aSilencedConnectionStaysOpenAnswersNothingAndTheNextConnectionIsServed() throws Exception {
        // server pings every 100 ms and an idle limit of 1 s: both would show within the 2 s watched below
        sim = startWithManualClock(
                SimulatorConfig.defaults().withServerPing(Duration.ofMillis(100), Duration.ofSeconds(1)));
        Paired p = pair(sim.addPhone("51987654321"));
        String jid = p.device().jid();
        try (RawClient c = login(p)) {
            simulators.clock().advance(Duration.ofMillis(100));
            c.next(n -> n.tag().equals("iq") && "urn:xmpp:ping".equals(n.attr("xmlns")), WAIT);
            sim.silence(jid);
            SimulatorEvent silenced = sim.awaitEvent(e -> e.type().equals("silenced"), WAIT);
            assertThat(silenced.deviceJid()).isEqualTo(jid);
            drain(c); // a ping already on its way when the command came
            sim.sendMessage(jid, sim.phones().get(0), "not now");
            List<String> sent = new ArrayList<>();
            for (int quarter = 0; quarter < 8; quarter++) { // two seconds of the simulator's time
                Node ping = ping(c);
                sent.add(ping.attr("id"));
                c.send(ping);
                simulators.clock().advance(Duration.ofMillis(250));
                assertThatThrownBy(() -> c.next(n -> true, Duration.ofMillis(250)))
                        .as("the silenced server sent something")
                        .isInstanceOf(AssertionError.class);
            }
            assertThat(c.awaitClosed(Duration.ZERO))
                    .as("closed by the simulator")
                    .isFalse();
            assertThat(sim.isConnected(jid)).isTrue();
            // what the client sent is still recorded
            assertThat(sim.nodes(jid)).extracting(n -> n.node().attr("id")).containsAll(sent);
            assertThat(sim.events()).noneMatch(e -> e.type().equals("unresponsive"));
        }
        sim.awaitEvent(e -> e.type().equals("closed") && jid.equals(e.deviceJid()), WAIT);
        try (RawClient again = login(p)) {
            assertThat(again.next("message", WAIT).attr("from"))
                    .isEqualTo(sim.phones().get(0).jid());
            Node pong = again.query(ping(again), WAIT);
            assertThat(pong.attr("type")).isEqualTo("result");
        }
    }

    @Test
    void aSilencedConnectionWhoseClientAlsoGoesQuietEndsByTheIdleRule() throws Exception {
        sim = startWithManualClock(
                SimulatorConfig.defaults().withServerPing(Duration.ofMillis(100), Duration.ofMillis(500)));
        Paired p = pair(sim.addPhone("51987654321"));
        try (RawClient c = login(p)) {
            sim.silence(p.device().jid());
            simulators.clock().advance(Duration.ofMillis(700));
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.awaitEvent(e -> e.type().equals("unresponsive"), WAIT).deviceJid())
                .isEqualTo(p.device().jid());
    }

    @Test
    void silenceAndLowPreKeysNeedAConnectedDevice() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        assertThatThrownBy(() -> sim.silence(p.device().jid()))
                .isInstanceOf(SimulatorException.class)
                .hasMessageContaining("not connected");
        assertThatThrownBy(() -> sim.notifyLowPreKeys(p.device().jid(), 3))
                .isInstanceOf(SimulatorException.class)
                .hasMessageContaining("not connected");
        assertThatThrownBy(() -> sim.silence("1:1@s.whatsapp.net"))
                .isInstanceOf(SimulatorException.class)
                .hasMessageContaining("no linked device");
    }

    @Test
    void lowPreKeysSendsTheEncryptCountNotification() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Paired p = pair(sim.addPhone("51987654321"));
        try (RawClient c = login(p)) {
            String id = sim.notifyLowPreKeys(p.device().jid(), 3);
            Node n = c.next("notification", WAIT);
            assertThat(n.attr("type")).isEqualTo("encrypt");
            assertThat(n.attr("from")).isEqualTo("@s.whatsapp.net");
            assertThat(n.attr("id")).isEqualTo(id);
            assertThat(n.attr("t")).matches("\\d+");
            assertThat(n.child("count").attr("value")).isEqualTo("3");
            assertThat(sim.events())
                    .anyMatch(e ->
                            e.type().equals("prekey-low") && p.device().jid().equals(e.deviceJid()));
            assertThatThrownBy(() -> sim.notifyLowPreKeys(p.device().jid(), -1)).isInstanceOf(SimulatorException.class);
        }
    }

    @Test
    void theIdleTimeoutHoldsEvenWhenServerPingsAreRarer() throws Exception {
        sim = startWithManualClock(
                SimulatorConfig.defaults().withServerPing(Duration.ofSeconds(30), Duration.ofMillis(500)));
        Paired p = pair(sim.addPhone("51987654321"));
        try (RawClient c = login(p)) {
            // closed soon after 500 ms of silence, not at the first 30 s ping tick
            simulators.clock().advance(Duration.ofMillis(700));
            assertThat(c.awaitClosed(Duration.ofSeconds(4))).isTrue();
        }
        assertThat(sim.events()).anyMatch(ev -> ev.type().equals("unresponsive"));
    }

    /**
     * The server validates what a companion says it is (whatsmeow PairPhone doc; whatsapp-rust PR #979):
     * an unknown platform id or a display that is not "<common browser> (<common OS>)" gets 400, and no
     * phone can enter a code for it.
     */
    @Test
    void companionHelloWithAnUncommonPlatformIsRefusedWith400() {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51955544499");
        try (RawClient c = RawClient.register(sim)) {
            c.takeRefs(WAIT);
            String[][] refused = {
                {"1", "Chrome (Acme)"},
                {"1", "Linkwell (Linux)"},
                {"1", "Chrome"},
                {"x", "Chrome (Linux)"},
                {"", "Chrome (Linux)"},
                {"49", "Chrome (Linux)"}
            };
            for (String[] r : refused) {
                Node answer = c.companionHello(phone.number(), new byte[80], r[0], r[1], WAIT);
                assertThat(answer.attr("type")).as("%s / %s", r[0], r[1]).isEqualTo("error");
                assertThat(answer.child("error").attr("code")).isEqualTo("400");
                assertThat(answer.child("error").attr("text")).isEqualTo("bad-request");
            }
            assertThat(sim.events())
                    .filteredOn(e -> e.type().equals("link-code-refused"))
                    .hasSize(refused.length);
            assertThatThrownBy(() -> phone.enterCode("ABCD1234")).hasMessageContaining("no companion is waiting");
            Node accepted = c.companionHello(phone.number(), new byte[80], "3", "Firefox (Windows)", WAIT);
            assertThat(accepted.attr("type")).isEqualTo("result");
        }
    }

    @Test
    void pairingCodeLinksAndAWrongCodeFails() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51955544433");
        try (RawClient c = RawClient.register(sim)) {
            c.takeRefs(WAIT);
            String[] codeAndRef = c.requestPairingCode(phone.number(), WAIT);
            assertThat(codeAndRef[1]).isNotBlank();
            CompletableFuture<LinkedDevice> entered =
                    CompletableFuture.supplyAsync(() -> phone.enterCode(codeAndRef[0].substring(0, 4) + "-"
                            + codeAndRef[0].substring(4).toLowerCase()));
            Object[] finish = c.finishPairingCode(WAIT);
            assertThat(((Node) finish[1]).attr("type")).isEqualTo("result");
            String jid = c.answerPairSuccess(WAIT, (byte[]) finish[0]);
            LinkedDevice device = entered.get(10, TimeUnit.SECONDS);
            assertThat(device.jid()).isEqualTo(jid).isEqualTo("51955544433:1@s.whatsapp.net");
            assertThat(device.method()).isEqualTo("code");
            assertThat(c.next("stream:error", WAIT).attr("code")).isEqualTo("515");
        }
        try (RawClient c = RawClient.register(sim)) {
            c.takeRefs(WAIT);
            String[] codeAndRef = c.requestPairingCode(phone.number(), WAIT);
            String wrong =
                    codeAndRef[0].startsWith("A") ? "B" + codeAndRef[0].substring(1) : "A" + codeAndRef[0].substring(1);
            CompletableFuture<LinkedDevice> entered = CompletableFuture.supplyAsync(() -> phone.enterCode(wrong));
            Object[] finish = c.finishPairingCode(WAIT);
            assertThat(((Node) finish[1]).attr("type")).isEqualTo("error");
            assertThatThrownBy(() -> entered.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SimulatorException.class)
                    .hasMessageContaining("pairing code was wrong");
        }
        assertThat(sim.devices()).hasSize(1);
        assertThatThrownBy(() -> phone.enterCode("ABCD1234")).hasMessageContaining("no companion is waiting");
    }

    @Test
    void aNewCompanionHelloEndsTheCodeEntryInProgress() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51955544433");
        try (RawClient c = RawClient.register(sim)) {
            c.takeRefs(WAIT);
            String[] codeAndRef = c.requestPairingCode(phone.number(), WAIT);
            CompletableFuture<LinkedDevice> entered =
                    CompletableFuture.supplyAsync(() -> phone.enterCode(codeAndRef[0]));
            c.next(n -> n.tag().equals("notification") && "link_code_companion_reg".equals(n.attr("type")), WAIT);
            // the companion asks for a fresh code instead of finishing: the phone's wait ends now, not at the timeout
            c.requestPairingCode(phone.number(), WAIT);
            assertThatThrownBy(() -> entered.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SimulatorException.class)
                    .hasMessageContaining("new pairing code");
        }
        assertThat(sim.devices()).isEmpty();
    }

    @Test
    void aCompanionThatRejectsPairSuccessIsNotLinked() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51987654321");
        try (RawClient c = RawClient.register(sim)) {
            List<String> refs = c.takeRefs(WAIT);
            // a QR whose adv secret is not the companion's: its HMAC check fails, as in whatsmeow pair.go
            String[] parts = c.qr(refs.get(0)).split(",");
            parts[3] = java.util.Base64.getEncoder().encodeToString(new byte[32]);
            CompletableFuture<LinkedDevice> scan =
                    CompletableFuture.supplyAsync(() -> phone.scan(String.join(",", parts)));
            Node iq = c.next(n -> n.tag().equals("iq") && n.child("pair-success") != null, WAIT);
            var hmac = dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC.parseFrom(
                    iq.child("pair-success").child("device-identity").contentBytes());
            assertThat(dev.linkwell.protocol.crypto.Hmac.sha256(
                            c.advSecret, hmac.getDetails().toByteArray()))
                    .isNotEqualTo(hmac.getHmac().toByteArray());
            c.send(Nodes.parent(
                    "iq",
                    Nodes.attrs("to", "@s.whatsapp.net", "type", "error", "id", iq.attr("id")),
                    Nodes.node("error", "code", "401", "text", "not-authorized")));
            assertThatThrownBy(() -> scan.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SimulatorException.class)
                    .hasMessageContaining("rejected pair-success: 401 not-authorized");
            streamEndGracePasses();
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.devices()).isEmpty();
    }

    @Test
    void aPairDeviceSignWithoutDeviceSignatureFailsTheScanAtOnce() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        Phone phone = sim.addPhone("51987654321");
        try (RawClient c = RawClient.register(sim)) {
            List<String> refs = c.takeRefs(WAIT);
            CompletableFuture<LinkedDevice> scan = CompletableFuture.supplyAsync(() -> phone.scan(c.qr(refs.get(0))));
            Node iq = c.next(n -> n.tag().equals("iq") && n.child("pair-success") != null, WAIT);
            var hmac = dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC.parseFrom(
                    iq.child("pair-success").child("device-identity").contentBytes());
            var account = dev.linkwell.protocol.proto.ADVSignedDeviceIdentity.parseFrom(hmac.getDetails());
            int keyIndex = dev.linkwell.protocol.proto.ADVDeviceIdentity.parseFrom(account.getDetails())
                    .getKeyIndex();
            // the right details and account signature, but no device signature at all (a 0-byte field)
            byte[] reply =
                    account.toBuilder().clearAccountSignatureKey().build().toByteArray();
            c.send(Nodes.parent(
                    "iq",
                    Nodes.attrs("to", "@s.whatsapp.net", "type", "result", "id", iq.attr("id")),
                    Nodes.parent(
                            "pair-device-sign",
                            Nodes.attrs(),
                            Node.withBytes(
                                    "device-identity", Nodes.attrs("key-index", Integer.toString(keyIndex)), reply))));
            // well inside the 20 s pairing timeout: the admin caller learns why at once
            assertThatThrownBy(() -> scan.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SimulatorException.class)
                    .hasMessageContaining("device signature");
            assertThat(c.next("stream:error", WAIT).attr("code")).isEqualTo("401");
            streamEndGracePasses();
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.devices()).isEmpty();
        assertThat(sim.events()).anyMatch(e -> e.type().equals("pairing-failed"));
    }

    /** A bare WebSocket client (no WhatsApp protocol) that counts {@code closed} down when it closes. */
    private org.java_websocket.client.WebSocketClient rawWebSocket(java.util.concurrent.CountDownLatch closed) {
        return new org.java_websocket.client.WebSocketClient(java.net.URI.create(sim.webSocketUrl())) {
            @Override
            public void onOpen(org.java_websocket.handshake.ServerHandshake h) {}

            @Override
            public void onMessage(String m) {}

            @Override
            public void onClose(int code, String reason, boolean remote) {
                closed.countDown();
            }

            @Override
            public void onError(Exception e) {}
        };
    }

    @Test
    void garbageClosesOnlyThatConnection() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        for (byte[] junk : List.of(
                new byte[] {1, 2, 3, 4, 0, 0, 1, 9}, // bad intro
                new byte[] {'W', 'A', 6, 2, 0, 0, 3, 1, 2, 3}, // intro, then a frame that is no HandshakeMessage
                new byte[] {'W', 'A', 6, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff})) { // announces 16 MiB, sends none
            java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            org.java_websocket.client.WebSocketClient raw = rawWebSocket(closed);
            assertThat(raw.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
            raw.send(junk);
            if (junk[0] == 'W' && junk[4] == (byte) 0xff) {
                raw.close(); // the server waits for the rest of the frame; nothing to see but no harm either
            }
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        }
        try (RawClient c = RawClient.register(sim)) {
            assertThat(c.takeRefs(WAIT)).isNotEmpty();
        }
        assertThat(sim.events()).anyMatch(e -> e.type().equals("protocol-error"));
    }

    @Test
    void aConnectionThatNeverFinishesTheHandshakeIsClosedAfterTheUnpairedLifetime() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults().withUnpairedLifetime(Duration.ofMillis(1500)));
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        org.java_websocket.client.WebSocketClient raw = rawWebSocket(closed);
        try {
            assertThat(raw.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
            raw.send(
                    new byte[] {'W', 'A', 6, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // announces 16 MiB, sends none
            sim.awaitEvent(e -> e.type().equals("opened"), WAIT); // its lifetime is timed from here
            simulators.clock().advance(Duration.ofMillis(1500));
            assertThat(closed.await(6, TimeUnit.SECONDS))
                    .as("closed by the server")
                    .isTrue();
        } finally {
            raw.closeBlocking();
        }
        assertThat(sim.events()).anyMatch(e -> e.type().equals("unpaired-timeout"));
    }

    @Test
    void aWebSocketFrameAnnouncingMoreThanAWhatsAppFrameIsRefusedBeforeAnyAllocation() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sim.port())) {
            socket.setSoTimeout(5000);
            var out = socket.getOutputStream();
            var in = socket.getInputStream();
            out.write(("GET /ws/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            int matched = 0;
            while (matched < 4) { // skip the 101 response up to its blank line
                int b = in.read();
                assertThat(b).isNotNegative();
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            // a masked binary frame that announces 1 GiB and sends nothing more
            out.write(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0x40, 0, 0, 0, 1, 2, 3, 4});
            out.flush();
            int first = in.read(); // the server's close frame (opcode 8), or the end of the stream
            assertThat(first == -1 || (first & 0x0f) == 8)
                    .as("closed, got byte " + first)
                    .isTrue();
        }
        try (RawClient c = RawClient.register(sim)) {
            assertThat(c.takeRefs(WAIT)).isNotEmpty();
        }
    }

    @Test
    void aRegistrationWhoseIdentityKeyIsNotAKeyIsAProtocolError() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        var payload = dev.linkwell.protocol.proto.ClientPayload.newBuilder()
                .setPassive(false)
                .setPull(false)
                .setUserAgent(RawClient.userAgent(RawClient.VERSION))
                .setDevicePairingData(
                        dev.linkwell.protocol.proto.ClientPayload.DevicePairingRegistrationData.newBuilder()
                                .setERegid(com.google.protobuf.ByteString.copyFrom(new byte[] {0, 0, 0, 1}))
                                .setEIdent(com.google.protobuf.ByteString.copyFrom(new byte[5])))
                .build();
        try (RawClient c = RawClient.connect(sim, payload)) {
            // refused at the edge, not when a phone later scans its QR
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.events())
                .anyMatch(e -> e.type().equals("protocol-error") && e.detail().contains("identity"));
        assertThat(sim.events()).noneMatch(e -> e.type().equals("pairing"));
    }

    @Test
    void refusesConnectionsForAWhile() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        sim.refuseConnections(Duration.ofMillis(2000));
        assertThatThrownBy(() -> RawClient.register(sim)).hasMessageContaining("did not open");
        simulators.clock().advance(Duration.ofMillis(2100));
        try (RawClient c = RawClient.register(sim)) {
            assertThat(c.takeRefs(WAIT)).isNotEmpty();
        }
        assertThat(sim.events()).anyMatch(ev -> ev.type().equals("refused"));
    }

    /** Every WebSocket upgrade request counts, refused or accepted, in the second of the simulator's clock it came. */
    @Test
    void countsConnectionAttemptsAcceptedOrRefused() throws Exception {
        sim = startWithManualClock(SimulatorConfig.defaults());
        assertThat(sim.connectionAttempts().total()).isZero();
        sim.refuseConnections(Duration.ofMillis(2000));
        assertThatThrownBy(() -> RawClient.register(sim)).hasMessageContaining("did not open");
        simulators.clock().advance(Duration.ofMillis(2100));
        try (RawClient c = RawClient.register(sim);
                RawClient d = RawClient.register(sim)) {
            assertThat(c.takeRefs(WAIT)).isNotEmpty();
            assertThat(d.takeRefs(WAIT)).isNotEmpty();
        }
        ConnectionAttempts.Snapshot attempts = sim.connectionAttempts();
        assertThat(attempts.total()).isEqualTo(3);
        assertThat(attempts.perSecond())
                .extracting(ConnectionAttempts.Second::count)
                .containsExactly(1, 2);
        assertThat(attempts.peak()).map(ConnectionAttempts.Second::count).contains(2);
    }
}
