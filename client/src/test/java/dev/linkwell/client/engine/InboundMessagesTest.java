package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.store.CredentialsRepository;
import dev.linkwell.client.store.MemoryCredentialStore;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.signal.EncryptedMessage;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.RetryReceipt;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.PhoneProfile;
import dev.linkwell.simulator.RecordedNode;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.SimulatorEvent;
import dev.linkwell.simulator.WaSimulator;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messages from phones to the engine, over real sockets against the simulator, whose phones encrypt with their
 * own Signal side: what the engine surfaces, and what it answers (receipts, acks, retry receipts).
 */
class InboundMessagesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final SimulatorExtension simulator = SimulatorExtension.started(SimulatorConfig.defaults());

    private WaSimulator sim;
    private ClientRuntime runtime;
    private MemoryCredentialStore store;

    /** What the engine reported: its messages, and whether the connection is open. */
    static final class Listener implements EngineListener {
        final BlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> opened = new CompletableFuture<>();
        final CompletableFuture<String> qr = new CompletableFuture<>();

        @Override
        public void on(EngineEvent event) {
            switch (event) {
                case EngineEvent.MessageReceived m -> messages.add(m.data());
                case EngineEvent.Opened o -> opened.complete(o.jid());
                case EngineEvent.Qr q -> qr.complete(q.text());
                default -> {}
            }
        }

        Map<String, Object> next() throws InterruptedException {
            Map<String, Object> m = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(m).as("a session.message").isNotNull();
            return m;
        }

        List<Map<String, Object>> next(int n) throws InterruptedException {
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(next());
            }
            return out;
        }
    }

    @BeforeEach
    void start() {
        sim = simulator.get();
        runtime = new ClientRuntime();
        store = new MemoryCredentialStore();
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private WaClient connect(String sessionId, Listener listener) {
        ClientConfig config = ClientConfig.builder()
                .url(URI.create(sim.webSocketUrl()))
                .trustAnchor(sim.trustAnchor().rootPublicKey())
                .build();
        WaClient c = new WaClient(runtime, config, sessionId, store, Optional.empty(), listener);
        c.connect();
        return c;
    }

    /** Links a new session to {@code owner} and logs it in; returns the device JID once the phone synced it. */
    private String link(String sessionId, Phone owner, Listener listener) throws Exception {
        Listener pairing = new Listener();
        WaClient first = connect(sessionId, pairing);
        String qr = pairing.qr.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String jid = owner.scan(qr).jid();
        first.close();
        connect(sessionId, listener);
        assertThat(listener.opened.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(jid);
        sim.awaitEvent(e -> e instanceof SimulatorEvent.CompanionSynced s && jid.equals(s.deviceJid()), WAIT);
        // the phone's two messages after linking are answered before anything a test sends
        await().atMost(WAIT).until(() -> receipts(jid, "hist_sync").size() == 1);
        return jid;
    }

    private List<Node> receipts(String jid, String type) {
        return sim.nodes(jid).stream()
                .map(RecordedNode::node)
                .filter(n -> n.tag().equals("receipt") && type.equals(n.attr("type")))
                .toList();
    }

    private RecordedNode take(String jid, String tag, String id) {
        return sim.takeNode(jid, n -> n.tag().equals(tag) && id.equals(n.node().attr("id")), WAIT);
    }

    @Test
    void aPreKeyMessageThenRatchetMessagesSurfaceWithTheirTextAndAreAnsweredWithReceipts() throws Exception {
        Phone owner = sim.addPhone("5511999991000");
        Phone friend = sim.addPhone("5511999991001");
        Listener l = new Listener();
        String jid = link("in1", owner, l);

        String first = friend.sendMessage(jid, "hello");
        Map<String, Object> m = l.next();
        assertThat(m)
                .containsEntry("id", first)
                .containsEntry("text", "hello")
                .containsEntry("type", "text")
                .containsEntry("chat", "5511999991001@s.whatsapp.net")
                .containsEntry("from", "5511999991001@s.whatsapp.net")
                .containsEntry("fromMe", false)
                .containsEntry("pushName", friend.pushName());
        assertThat(m.get("raw")).isEqualTo(Map.of("conversation", "hello"));
        // whatsmeow's answer to a message it decrypted: a receipt (inactive: no presence was sent), not an ack
        Node receipt = take(jid, "receipt", first).node();
        assertThat(receipt.attr("to")).isEqualTo("5511999991001@s.whatsapp.net");
        assertThat(receipt.attr("type")).isEqualTo("inactive");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(friend.sendMessage(jid, "m" + i));
        }
        List<Map<String, Object>> next = l.next(20);
        assertThat(next)
                .extracting(x -> x.get("text"))
                .containsExactlyElementsOf(
                        ids.stream().map(id -> "m" + ids.indexOf(id)).toList());
        take(jid, "receipt", ids.getLast());
        assertThat(sim.nodes(jid))
                .noneMatch(
                        n -> n.tag().equals("ack") && "message".equals(n.node().attr("class")));
        assertThat(sim.pendingMessages(jid)).isEmpty();
        assertThat(l.messages).isEmpty();
    }

    @Test
    void thePhoneSyncsItsNewCompanionAndNothingOfItIsSurfaced() throws Exception {
        Phone owner = sim.addPhone("5511999991010");
        Listener l = new Listener();
        String jid = link("in2", owner, l);

        assertThat(new CredentialsRepository(store, "in2").appStateKeys().size())
                .isEqualTo(1);
        Node histSync = receipts(jid, "hist_sync").getFirst();
        assertThat(histSync.attr("to")).as("to our own account").isEqualTo("5511999991010@s.whatsapp.net");
        assertThat(receipts(jid, "peer_msg"))
                .as("the key share is a peer message")
                .hasSize(1);
        assertThat(receipts(jid, "sender")).as("both came from our own phone").hasSize(2);
        assertThat(l.messages).isEmpty();
    }

    @Test
    void messagesOutOfOrderAndTwiceSurfaceOnceEach() throws Exception {
        Phone owner = sim.addPhone("5511999991020");
        Phone friend = sim.addPhone("5511999991021");
        Listener l = new Listener();
        String jid = link("in3", owner, l);
        friend.sendMessage(jid, "start");
        l.next();

        sim.reverseNextMessages(jid, 10);
        sim.doubleNextMessages(jid, 3);
        for (int i = 0; i < 10; i++) {
            friend.sendMessage(jid, "r" + i);
        }
        String last = friend.sendMessage(jid, "after");
        List<Map<String, Object>> got = l.next(11);
        assertThat(got)
                .extracting(x -> x.get("text"))
                .containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "after");
        assertThat(got.getFirst().get("text")).isEqualTo("r9");
        take(jid, "receipt", last);
        assertThat(l.messages).as("nothing twice").isEmpty();
    }

    @Test
    void aCorruptedMessageIsAskedForAgainAndItsResendSurfacesOnce() throws Exception {
        Phone owner = sim.addPhone("5511999991030");
        Phone friend = sim.addPhone("5511999991031");
        Listener l = new Listener();
        String jid = link("in4", owner, l);
        friend.sendMessage(jid, "before");
        l.next();

        sim.corruptNextMessages(jid, 1);
        String id = friend.sendMessage(jid, "damaged on the way");
        Map<String, Object> m = l.next();
        assertThat(m).containsEntry("id", id).containsEntry("text", "damaged on the way");
        RetryReceipt retry = RetryReceipt.from(sim.takeNode(
                                jid,
                                n -> n.tag().equals("receipt")
                                        && "retry".equals(n.node().attr("type")),
                                WAIT)
                        .node())
                .orElseThrow();
        assertThat(retry.messageId()).isEqualTo(id);
        assertThat(retry.count()).isEqualTo(1);
        assertThat(retry.keys()).as("the first retry carries no keys").isEmpty();
        assertThat(retry.registrationId())
                .isEqualTo(new CredentialsRepository(store, "in4")
                        .load()
                        .orElseThrow()
                        .registrationId());
        sim.awaitEvent(
                e -> e instanceof SimulatorEvent.RetryReceived r
                        && r.messageId().equals(id)
                        && r.resent(),
                WAIT);
        take(jid, "receipt", id);
        friend.sendMessage(jid, "after");
        assertThat(l.next().get("text")).isEqualTo("after");
        assertThat(l.messages).isEmpty();
    }

    @Test
    void aMessageThatNeverDecryptsIsReportedUndecryptableAfterTheLastRetry() throws Exception {
        Phone owner = sim.addPhone("5511999991040");
        Phone friend = sim.addPhone("5511999991041", PhoneProfile.LID);
        Listener l = new Listener();
        String jid = link("in5", owner, l);
        friend.sendMessage(jid, "before");
        l.next();

        sim.corruptNextMessages(jid, RetryHandler.MAX_RETRIES);
        String id = friend.sendMessage(jid, "lost");
        Map<String, Object> m = l.next();
        assertThat(m)
                .containsEntry("id", id)
                .containsEntry("type", "undecryptable")
                .containsEntry("from", friend.lid())
                .containsEntry("fromPn", friend.jid())
                .doesNotContainKeys("text", "raw");
        List<RetryReceipt> retries = sim.nodes(jid).stream()
                .map(RecordedNode::node)
                .filter(n -> n.tag().equals("receipt") && "retry".equals(n.attr("type")))
                .map(n -> RetryReceipt.from(n).orElseThrow())
                .toList();
        assertThat(retries).extracting(RetryReceipt::count).containsExactly(1, 2, 3, 4);
        assertThat(retries.get(1).keys()).as("keys from the second retry on").isPresent();
        assertThat(retries.get(1).keys().get().deviceIdentity()).isNotEmpty();
        friend.sendMessage(jid, "the session goes on");
        assertThat(l.next().get("text")).isEqualTo("the session goes on");
    }

    @Test
    void aGroupMessageCarriesTheSenderKeyThenSenderKeyMessagesDecryptAlone() throws Exception {
        Phone owner = sim.addPhone("5511999991050");
        Phone member = sim.addPhone("5511999991051");
        Listener l = new Listener();
        String jid = link("in6", owner, l);
        String group = "120363000000001051@g.us";

        member.sendGroupMessage(group, jid, "hi group");
        Map<String, Object> first = l.next();
        assertThat(first)
                .containsEntry("chat", group)
                .containsEntry("from", member.jid())
                .containsEntry("fromLid", member.lid())
                .containsEntry("text", "hi group");
        String second = member.sendGroupMessage(group, jid, "again");
        assertThat(l.next()).containsEntry("text", "again").containsEntry("chat", group);
        Node receipt = take(jid, "receipt", second).node();
        assertThat(receipt.attr("participant")).isEqualTo(member.jid());
        assertThat(receipt.attr("to")).isEqualTo(group);
    }

    /**
     * A phone-number sender's session moves to its LID once the LID is known (here from a group message's
     * participant_lid), and its next one-to-one messages decrypt there (whatsmeow MigratePNToLID).
     */
    @Test
    void aSessionKeptUnderAPhoneNumberMovesToTheLidOnceTheLidIsKnown() throws Exception {
        Phone owner = sim.addPhone("5511999991080");
        Phone friend = sim.addPhone("5511999991081");
        Listener l = new Listener();
        link("in9", owner, l);
        String jid = owner.linkedDevices().getFirst().jid();
        friend.sendMessage(jid, "one");
        assertThat(l.next()).containsEntry("text", "one").doesNotContainKey("fromLid");
        CredentialsRepository repository = new CredentialsRepository(store, "in9");
        SignalAddress pn = SignalAddress.of(Jid.parse(friend.jid()));
        SignalAddress lid = SignalAddress.of(Jid.parse(friend.lid()));
        assertThat(repository.signal(repository.load().orElseThrow()).session(pn))
                .isPresent();

        friend.sendGroupMessage("120363000000001081@g.us", jid, "two");
        assertThat(l.next()).containsEntry("text", "two").containsEntry("fromLid", friend.lid());
        friend.sendMessage(jid, "three");
        assertThat(l.next()).containsEntry("text", "three");
        var signal = repository.signal(repository.load().orElseThrow());
        assertThat(signal.session(pn)).isEmpty();
        assertThat(signal.session(lid)).isPresent();
    }

    /**
     * A sender keeps sending pre-key messages until it hears from the device (libsignal); once the device has
     * written to the phone, the phone's next messages are plain ratchet messages ({@code msg}), and they decrypt.
     */
    @Test
    void afterTheDeviceWroteToThePhoneItsMessagesAreRatchetMessages() throws Exception {
        Phone owner = sim.addPhone("5511999991090");
        Phone friend = sim.addPhone("5511999991091");
        Listener l = new Listener();
        String jid = link("in10", owner, l);
        friend.sendMessage(jid, "one");
        l.next();

        // what the device's message to the phone does to both sessions (the sending side is another test's subject)
        CredentialsRepository repository = new CredentialsRepository(store, "in10");
        byte[] reply = WhatsAppPadding.pad(
                dev.linkwell.protocol.proto.Message.newBuilder()
                        .setConversation("hi phone")
                        .build()
                        .toByteArray(),
                new java.security.SecureRandom());
        EncryptedMessage toPhone = new SessionCipher(
                        repository.signal(repository.load().orElseThrow()))
                .encrypt(SignalAddress.of(Jid.parse(friend.jid())), reply);
        friend.signal().sessions().decrypt(SignalAddress.of(Jid.parse(jid)), toPhone.type(), toPhone.body());

        sim.reverseNextMessages(jid, 2); // holds the next message, so the server's copy can be looked at
        String held = friend.sendMessage(jid, "two");
        assertThat(sim.pendingMessages(jid))
                .filteredOn(m -> m.id().equals(held))
                .singleElement()
                .satisfies(m -> assertThat(m.payloads()).extracting(Enc::type).containsExactly("msg"));
        friend.sendMessage(jid, "three");
        assertThat(l.next(2)).extracting(m -> m.get("text")).containsExactly("three", "two");
    }

    /** A group message whose sender-key payload does not verify comes back one to one, with the key inside. */
    @Test
    void aCorruptedGroupMessageComesBackOneToOneWithTheSenderKey() throws Exception {
        Phone owner = sim.addPhone("5511999991100");
        Phone member = sim.addPhone("5511999991101", PhoneProfile.LID);
        Listener l = new Listener();
        String jid = link("in11", owner, l);
        String group = "120363000000001101@g.us";
        member.sendGroupMessage(group, jid, "first");
        l.next();

        sim.corruptNextMessages(jid, 1);
        String id = member.sendGroupMessage(group, jid, "second");
        Map<String, Object> second = l.next();
        assertThat(second)
                .containsEntry("id", id)
                .containsEntry("text", "second")
                .containsEntry("chat", group);
        assertThat(second.get("raw"))
                .as("the resend is one-to-one, with the sender key inside")
                .asString()
                .contains("senderKeyDistributionMessage");
        RetryReceipt retry = RetryReceipt.from(sim.takeNode(
                                jid,
                                n -> n.tag().equals("receipt")
                                        && "retry".equals(n.node().attr("type")),
                                WAIT)
                        .node())
                .orElseThrow();
        assertThat(retry.participant()).isEqualTo(member.lid());
        sim.awaitEvent(
                e -> e instanceof SimulatorEvent.RetryReceived r
                        && r.messageId().equals(id)
                        && r.resent(),
                WAIT);
        member.sendGroupMessage(group, jid, "third");
        assertThat(l.next()).containsEntry("text", "third");
    }

    @Test
    void whatTheOwnerWritesOnThePhoneArrivesFromMe() throws Exception {
        Phone owner = sim.addPhone("5511999991060", PhoneProfile.LID);
        Listener l = new Listener();
        String jid = link("in7", owner, l);

        String id = owner.sendFromPhone("5511999991099@s.whatsapp.net", "sent from my phone");
        Map<String, Object> m = l.next();
        assertThat(m)
                .containsEntry("id", id)
                .containsEntry("fromMe", true)
                .containsEntry("chat", "5511999991099@s.whatsapp.net")
                .containsEntry("text", "sent from my phone")
                .containsEntry("type", "text");
        assertThat(m.get("raw")).asString().contains("deviceSentMessage");
        assertThat(take(jid, "receipt", id).node().attr("type")).isEqualTo("sender");
    }

    @Test
    void aRestartInTheMiddleOfAConversationKeepsDecrypting() throws Exception {
        Phone owner = sim.addPhone("5511999991070");
        Phone friend = sim.addPhone("5511999991071");
        Listener l = new Listener();
        String jid = link("in8", owner, l);
        friend.sendMessage(jid, "one");
        l.next();
        runtime.close();

        runtime = new ClientRuntime();
        friend.sendMessage(jid, "while away");
        Listener after = new Listener();
        connect("in8", after);
        assertThat(after.next().get("text")).isEqualTo("while away");
        friend.sendMessage(jid, "two");
        assertThat(after.next().get("text")).isEqualTo("two");
    }
}
