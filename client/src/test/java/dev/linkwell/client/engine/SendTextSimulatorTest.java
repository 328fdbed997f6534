package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.linkwell.client.SendFailure;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.OutboundMessage;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.PhoneProfile;
import dev.linkwell.simulator.ReceivedMessage;
import dev.linkwell.simulator.RecordedNode;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine sends text messages through the simulator over real sockets; the simulated phones decrypt them. */
class SendTextSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final SimulatorExtension simulator = SimulatorExtension.started(SimulatorConfig.defaults());

    private WaSimulator sim;
    private LinkedClients clients;

    @BeforeEach
    void start() {
        sim = simulator.get();
        clients = new LinkedClients(sim, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        clients.close();
    }

    private LinkedClients.Linked link(String id, Phone phone) throws Exception {
        return clients.link(id, phone);
    }

    private static String send(WaClient client, String to, String text) throws Exception {
        return client.sendText(to, text).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static ReceivedMessage awaitReceived(Phone phone, String id) {
        return await().atMost(WAIT)
                .until(
                        () -> phone.receivedMessages().stream()
                                .filter(m -> m.id().equals(id))
                                .findFirst()
                                .orElse(null),
                        m -> m != null);
    }

    @Test
    void aTextReachesTheRecipientsPhoneAndOurOwnPhoneAsADeviceSentMessage() throws Exception {
        Phone mine = sim.addPhone("5511999990101");
        Phone friend = sim.addPhone("51987654301");
        LinkedClients.Linked me = link("s1", mine);

        String id = send(me.client(), friend.jid(), "hello friend");
        assertThat(id).matches("3EB0[0-9A-F]{18}");
        ReceivedMessage got = awaitReceived(friend, id);
        assertThat(got.text()).isEqualTo("hello friend");
        assertThat(got.fromMe()).isFalse();
        assertThat(got.from()).isEqualTo(me.jid());
        assertThat(got.chat()).isEqualTo(mine.jid());
        ReceivedMessage copy = awaitReceived(mine, id);
        assertThat(copy.fromMe()).as("our own phone gets a DeviceSentMessage").isTrue();
        assertThat(copy.text()).isEqualTo("hello friend");
        assertThat(copy.chat()).isEqualTo(friend.jid());

        // the first message starts the session with the friend's phone: pkmsg with our device identity (our own
        // phone may have started one with us already, with what a phone sends a new companion: then msg)
        Node first = sim.takeNode(
                        me.jid(),
                        n -> n.tag().equals("message") && id.equals(n.node().attr("id")),
                        WAIT)
                .node();
        OutboundMessage sent = OutboundMessage.from(first);
        assertThat(sent.participants())
                .extracting(OutboundMessage.Participant::jid)
                .containsExactlyInAnyOrder(friend.jid(), mine.jid());
        assertThat(encType(sent, friend.jid())).isEqualTo("pkmsg");
        assertThat(encType(sent, mine.jid())).isIn("pkmsg", "msg");
        assertThat(sent.deviceIdentity()).isPresent();

        String second = send(me.client(), "51987654301@s.whatsapp.net", "again");
        assertThat(awaitReceived(friend, second).text()).isEqualTo("again");
        // still pkmsg (with the identity) while the friend's phone has not answered in that session (Signal)
        Node next = sim.takeNode(
                        me.jid(),
                        n -> n.tag().equals("message") && second.equals(n.node().attr("id")),
                        WAIT)
                .node();
        assertThat(encType(OutboundMessage.from(next), friend.jid())).isEqualTo("pkmsg");
        assertThat(OutboundMessage.from(next).deviceIdentity()).isPresent();
    }

    @Test
    void aReplyToAPhoneThatWroteFirstGoesInItsSessionAsAMessage() throws Exception {
        Phone friend = sim.addPhone("51987654309");
        LinkedClients.Linked me = link("s9", sim.addPhone("5511999990109"));
        friend.sendMessage(me.jid(), "hi, are you there?");
        me.events().next("message");
        String id = send(me.client(), friend.jid(), "yes, here");
        assertThat(awaitReceived(friend, id).text()).isEqualTo("yes, here");
        OutboundMessage reply = OutboundMessage.from(sim.takeNode(
                        me.jid(),
                        n -> n.tag().equals("message") && id.equals(n.node().attr("id")),
                        WAIT)
                .node());
        // the phone's pkmsg started the session: our answer is a msg in it, and no identity goes along for it
        assertThat(encType(reply, friend.jid())).isEqualTo("msg");
    }

    private static String encType(OutboundMessage message, String jid) {
        return message.participants().stream()
                .filter(p -> p.jid().equals(jid))
                .findFirst()
                .orElseThrow()
                .enc()
                .type();
    }

    @Test
    void anUnknownNumberIsRefusedBeforeAnythingIsSent() throws Exception {
        LinkedClients.Linked me = link("s2", sim.addPhone("5511999990102"));
        assertThatThrownBy(() -> send(me.client(), "5215550000@s.whatsapp.net", "hi"))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SendFailure.class)
                .satisfies(e -> assertThat(((SendFailure) e).kind()).isEqualTo(SendFailure.Kind.UNKNOWN_NUMBER));
        assertThat(sim.nodes(me.jid())).noneMatch(n -> n.tag().equals("message"));
    }

    @Test
    void aScriptedRefusalFailsTheSendWithTheServersCode() throws Exception {
        LinkedClients.Linked me = link("s3", sim.addPhone("5511999990103"));
        Phone friend = sim.addPhone("51987654303");
        sim.refuseNextMessage(me.jid(), 463);
        assertThatThrownBy(() -> send(me.client(), friend.jid(), "first contact"))
                .cause()
                .isInstanceOf(SendFailure.class)
                .satisfies(e -> {
                    SendFailure f = (SendFailure) e;
                    assertThat(f.kind()).isEqualTo(SendFailure.Kind.REFUSED);
                    assertThat(f.code()).hasValue(463);
                    assertThat(f.getMessage()).contains("463");
                });
        assertThat(friend.receivedMessages()).isEmpty();
        // the refusal touched nothing: the next message goes through
        String id = send(me.client(), friend.jid(), "second try");
        assertThat(awaitReceived(friend, id).text()).isEqualTo("second try");
    }

    @Test
    void aServerThatDoesNotAnswerIsATimeoutAndAnEndedConnectionFailsWhatWasUnderWay() throws Exception {
        LinkedClients.Linked me = link("s8", sim.addPhone("5511999990108"));
        Phone friend = sim.addPhone("51987654308");
        sim.silence(me.jid());
        assertThatThrownBy(() -> send(me.client(), friend.jid(), "into the void"))
                .cause()
                .satisfies(e -> {
                    assertThat(((SendFailure) e).kind()).isEqualTo(SendFailure.Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("the device list query");
                });
        CompletableFuture<String> underWay = me.client().sendText(friend.jid(), "cut short");
        me.client().close();
        assertThatThrownBy(() -> underWay.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .satisfies(e -> assertThat(((SendFailure) e).kind()).isEqualTo(SendFailure.Kind.NOT_CONNECTED));
        assertThatThrownBy(() -> send(me.client(), friend.jid(), "after the end"))
                .cause()
                .satisfies(e -> assertThat(((SendFailure) e).kind()).isEqualTo(SendFailure.Kind.NOT_CONNECTED));
    }

    @Test
    void groupsAndDevicesAreNotRecipients() throws Exception {
        LinkedClients.Linked me = link("s4", sim.addPhone("5511999990104"));
        assertThatThrownBy(() -> send(me.client(), "120363000000000000@g.us", "hi"))
                .cause()
                .satisfies(e -> assertThat(((SendFailure) e).kind()).isEqualTo(SendFailure.Kind.NOT_SUPPORTED));
        assertThatThrownBy(() -> send(me.client(), "51987654321:2@s.whatsapp.net", "hi"))
                .cause()
                .satisfies(e -> assertThat(((SendFailure) e).kind()).isEqualTo(SendFailure.Kind.BAD_RECIPIENT));
        assertThatThrownBy(() -> send(me.client(), "not a jid", "hi"))
                .cause()
                .satisfies(e -> assertThat(((SendFailure) e).kind()).isEqualTo(SendFailure.Kind.BAD_RECIPIENT));
    }

    @Test
    void aPhoneThatCannotReadAMessageAsksAgainAndGetsItResent() throws Exception {
        Phone mine = sim.addPhone("5511999990105");
        Phone friend = sim.addPhone("51987654305");
        LinkedClients.Linked me = link("s5", mine);
        String warmUp = send(me.client(), friend.jid(), "warm up");
        awaitReceived(friend, warmUp);
        sim.failNextDecrypt(friend);
        String id = send(me.client(), friend.jid(), "please retry");
        RecordedNode resend = sim.takeNode(
                me.jid(),
                n -> n.tag().equals("message")
                        && id.equals(n.node().attr("id"))
                        && n.node().child("enc") != null,
                WAIT);
        assertThat(resend.node().attrs()).containsEntry("to", friend.jid()).containsEntry("device_fanout", "false");
        assertThat(resend.node().child("enc").attr("count")).isEqualTo("1");
        assertThat(awaitReceived(friend, id).text()).isEqualTo("please retry");
    }

    @Test
    void aSecondRetryCarriesThePhonesKeysAndTheMessageGoesInANewSession() throws Exception {
        Phone mine = sim.addPhone("5511999990107");
        Phone friend = sim.addPhone("51987654307");
        LinkedClients.Linked me = link("s7", mine);
        sim.failNextDecrypt(friend);
        sim.failNextDecrypt(friend);
        String id = send(me.client(), friend.jid(), "third time lucky");
        assertThat(awaitReceived(friend, id).text()).isEqualTo("third time lucky");
        List<Node> resends = sim.nodes(me.jid()).stream()
                .map(RecordedNode::node)
                .filter(n -> n.tag().equals("message") && id.equals(n.attr("id")) && n.child("enc") != null)
                .toList();
        assertThat(resends).extracting(n -> n.child("enc").attr("count")).containsExactly("1", "2");
        // the second answer starts over from the keys in the receipt: a pre-key message, with our identity
        assertThat(resends.get(1).child("enc").attr("type")).isEqualTo("pkmsg");
        assertThat(resends.get(1).child("device-identity")).isNotNull();
    }

    @Test
    void aLidAddressedRecipientIsReachedByItsLid() throws Exception {
        Phone mine = sim.addPhone("5511999990106");
        Phone friend = sim.addPhone("51987654306", new PhoneProfile(true, false));
        LinkedClients.Linked me = link("s6", mine);
        String id = send(me.client(), friend.lid(), "by lid");
        ReceivedMessage got = awaitReceived(friend, id);
        assertThat(got.text()).isEqualTo("by lid");
        assertThat(got.from()).endsWith("@lid");
        Node sent = sim.takeNode(
                        me.jid(),
                        n -> n.tag().equals("message") && id.equals(n.node().attr("id")),
                        WAIT)
                .node();
        assertThat(OutboundMessage.from(sent).participants())
                .extracting(OutboundMessage.Participant::jid)
                .allSatisfy(j -> assertThat(j).endsWith("@lid"));
        assertThat(awaitReceived(mine, id).chat()).isEqualTo(friend.lid());
        List<ReceivedMessage> all = friend.receivedMessages();
        assertThat(all).hasSize(1);
    }
}
