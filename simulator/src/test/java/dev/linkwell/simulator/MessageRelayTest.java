package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.OutboundMessage;
import dev.linkwell.protocol.stanza.ParticipantHash;
import dev.linkwell.protocol.stanza.ServerAck;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the server does with a {@code <message>} a device sends: its checks and refusal codes, the ack with its
 * participant hash, the relay to companions (now, or at their next login), and the phone's retry receipt for what it
 * cannot read. Over real sockets with {@link RawClient}s, which send whatever bytes they like as ciphertext: the
 * server does not decrypt for companions.
 */
class MessageRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final SimulatorExtension simulator = SimulatorExtension.started(SimulatorConfig.defaults());

    private WaSimulator sim;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        sim = simulator.get();
    }

    @AfterEach
    void close() {
        clients.forEach(RawClient::close);
    }

    record Device(RawClient client, String jid, LinkedDevice linked) {}

    /** Links a companion to {@code phone} and logs it in. */
    private Device link(Phone phone) throws Exception {
        RawClient pairing = RawClient.pairByQr(sim, phone, WAIT);
        LinkedDevice linked = sim.device(pairing.pairedJid);
        RawClient client = login(pairing, linked);
        clients.add(client);
        return new Device(client, pairing.pairedJid, linked);
    }

    private RawClient login(RawClient paired, LinkedDevice linked) {
        RawClient client =
                RawClient.login(sim, paired.noiseKey, Jid.parse(linked.jid()).user(), linked.deviceId());
        client.signedIdentity = paired.signedIdentity;
        client.next("success", WAIT);
        client.next("ib", WAIT);
        return client;
    }

    private static OutboundMessage.Participant to(String jid, String type) {
        return new OutboundMessage.Participant(jid, Enc.of(type, new byte[] {1, 2, 3}));
    }

    private static ServerAck send(RawClient client, Node message) {
        client.send(message);
        return ServerAck.from(
                client.next(n -> n.tag().equals("ack") && message.attr("id").equals(n.attr("id")), WAIT));
    }

    private static Node message(String id, String to, List<OutboundMessage.Participant> participants, byte[] identity) {
        return OutboundMessage.fanOut(id, to, "text", Map.of(), participants, Optional.ofNullable(identity))
                .toNode();
    }

    @Test
    void theServerRefusesMalformedMessagesWithItsCodes() throws Exception {
        Phone mine = sim.addPhone("5511999990201");
        Phone friend = sim.addPhone("51987654201");
        Device me = link(mine);
        RawClient c = me.client();
        List<OutboundMessage.Participant> ok = List.of(to(friend.jid(), "msg"));

        Node noType = Node.withChildren(
                "message",
                Nodes.attrs("id", "M1", "to", friend.jid()),
                message("x", friend.jid(), ok, null).children());
        assertThat(send(c, noType).error()).hasValue(400);
        assertThat(send(c, message("M2", "not-a-jid", ok, null)).error())
                .as("SmaxInvalid")
                .hasValue(479);
        assertThat(send(c, message("M3", friend.jid(), List.of(to(friend.lid(), "msg")), null))
                        .error())
                .as("a to in another namespace than its participants")
                .hasValue(400);
        assertThat(send(c, message("M4", friend.jid(), List.of(to(friend.jid(), "msg"), to(friend.jid(), "msg")), null))
                        .error())
                .as("a device addressed twice")
                .hasValue(400);
        assertThat(send(
                                c,
                                message(
                                        "M5",
                                        "5215550000@s.whatsapp.net",
                                        List.of(to("5215550000@s.whatsapp.net", "msg")),
                                        null))
                        .error())
                .as("no such account")
                .hasValue(404);
        assertThat(send(c, message("M6", friend.jid(), List.of(to(friend.jid(), "msg"), to(me.jid(), "msg")), null))
                        .error())
                .as("the sending device among its participants")
                .hasValue(400);
        assertThat(send(c, message("M7", friend.jid(), List.of(to(friend.jid(), "pkmsg")), null))
                        .error())
                .as("a pkmsg without device-identity")
                .hasValue(400);
        byte[] forged = me.client().signedIdentity.clone();
        forged[forged.length - 1] ^= 1;
        assertThat(send(c, message("M8", friend.jid(), List.of(to(friend.jid(), "pkmsg")), forged))
                        .error())
                .as("a device-identity that is not the sender's")
                .hasValue(400);
        assertThat(sim.events())
                .filteredOn(e -> e.type().equals("message-refused"))
                .hasSize(8);
        assertThat(friend.receivedMessages()).isEmpty();
    }

    @Test
    void aCompanionGetsItsEncNowAndOurOtherCompanionGetsItWithTheChatAsRecipient() throws Exception {
        Phone mine = sim.addPhone("5511999990202");
        Phone friend = sim.addPhone("51987654202");
        Device me = link(mine);
        Device myOther = link(mine);
        Device theirs = link(friend);
        Jid theirsJid = Jid.parse(theirs.jid());
        Jid otherJid = Jid.parse(myOther.jid());
        List<OutboundMessage.Participant> participants = List.of(
                to(friend.jid(), "msg"), to(theirs.jid(), "msg"), to(mine.jid(), "msg"), to(myOther.jid(), "msg"));
        ServerAck ack = send(me.client(), message("R1", friend.jid(), participants, null));
        assertThat(ack.error()).isEmpty();
        assertThat(ack.phash())
                .isEqualTo(ParticipantHash.of(
                        List.of(Jid.parse(friend.jid()), theirsJid, Jid.parse(mine.jid()), otherJid)));

        Node relayed = theirs.client().next("message", WAIT);
        assertThat(relayed.attrs())
                .containsEntry("from", me.jid())
                .containsEntry("id", "R1")
                .containsEntry("type", "text")
                .doesNotContainKey("recipient");
        assertThat(relayed.child("enc").attrs()).containsEntry("type", "msg").containsEntry("v", "2");
        assertThat(relayed.child("enc").contentBytes()).containsExactly(1, 2, 3);
        Node own = myOther.client().next("message", WAIT);
        assertThat(own.attrs()).containsEntry("from", me.jid()).containsEntry("recipient", friend.jid());
        theirs.client().send(Nodes.node("ack", "class", "message", "id", "R1", "to", me.jid()));
        sim.takeNode(theirs.jid(), n -> n.tag().equals("ack"), WAIT);
        assertThat(sim.exportState().relayedMessages().get(theirs.jid()))
                .as("confirmed: not kept")
                .isEmpty();
        // the phones could not read these bytes: each asked again (the receipts came before the ack)
        assertThat(me.client().seen())
                .filteredOn(n -> "receipt".equals(n.tag()) && "retry".equals(n.attr("type")))
                .extracting(n -> n.attr("from"))
                .containsExactlyInAnyOrder(friend.jid(), mine.jid());
        assertThat(me.client().seen())
                .filteredOn(n -> "receipt".equals(n.tag()) && "retry".equals(n.attr("type")))
                .filteredOn(n -> n.attr("from").equals(mine.jid()))
                .singleElement()
                .satisfies(n -> assertThat(n.attr("recipient"))
                        .as("our own phone names the chat")
                        .isEqualTo(friend.jid()));
    }

    @Test
    void aStaleDeviceIsNotDeliveredAndTheAckHashSaysSo() throws Exception {
        Phone mine = sim.addPhone("5511999990203");
        Phone friend = sim.addPhone("51987654203");
        Device me = link(mine);
        List<OutboundMessage.Participant> participants = List.of(
                to(friend.jid(), "msg"), to(friend.number() + ":7@s.whatsapp.net", "msg"), to(mine.jid(), "msg"));
        ServerAck ack = send(me.client(), message("S1", friend.jid(), participants, null));
        assertThat(ack.error()).isEmpty();
        String ours = ParticipantHash.of(
                participants.stream().map(p -> Jid.parse(p.jid())).toList());
        assertThat(ack.phash())
                .isNotEqualTo(ours)
                .isEqualTo(ParticipantHash.of(List.of(Jid.parse(friend.jid()), Jid.parse(mine.jid()))));
        assertThat(sim.events())
                .anySatisfy(e -> assertThat(e.detail()).isEqualTo("S1 to " + friend.jid() + " (2 devices)"));
    }

    @Test
    void anOfflineCompanionGetsTheMessageAtItsNextLogin() throws Exception {
        Phone mine = sim.addPhone("5511999990204");
        Phone friend = sim.addPhone("51987654204");
        Device me = link(mine);
        Device theirs = link(friend);
        theirs.client().close();
        sim.awaitEvent(e -> e.type().equals("closed") && theirs.jid().equals(e.deviceJid()), WAIT);
        assertThat(send(me.client(), message("O1", friend.jid(), List.of(to(theirs.jid(), "msg")), null))
                        .error())
                .isEmpty();
        assertThat(sim.exportState().relayedMessages().get(theirs.jid()))
                .extracting(SimulatorState.RelayedStanza::id)
                .containsExactly("O1");
        RawClient back = RawClient.login(
                sim, theirs.client().noiseKey, friend.number(), theirs.linked().deviceId());
        clients.add(back);
        Node relayed = back.next("message", WAIT);
        assertThat(relayed.attr("id")).isEqualTo("O1");
        assertThat(relayed.attr("from")).isEqualTo(me.jid());
    }

    @Test
    void aScriptedRefusalAnswersTheNextMessageOnly() throws Exception {
        Phone mine = sim.addPhone("5511999990205");
        Phone friend = sim.addPhone("51987654205");
        Device me = link(mine);
        sim.refuseNextMessage(me.jid(), 463);
        assertThat(send(me.client(), message("T1", friend.jid(), List.of(to(friend.jid(), "msg")), null))
                        .error())
                .hasValue(463);
        assertThat(send(me.client(), message("T2", friend.jid(), List.of(to(friend.jid(), "msg")), null))
                        .error())
                .isEmpty();
    }
}
