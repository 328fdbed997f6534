package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Failure;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seam a test uses to make the server misbehave: scripted answers first, then the WhatsApp behaviour. */
class DispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final SimulatorExtension simulator = SimulatorExtension.started(SimulatorConfig.defaults());

    private static Node ping(RawClient c) {
        return Nodes.parent(
                "iq",
                Nodes.attrs("id", c.nextId(), "xmlns", "w:p", "type", "get", "to", "@s.whatsapp.net"),
                Nodes.node("ping"));
    }

    private dev.linkwell.protocol.crypto.KeyPair noiseKey;
    private int deviceId;

    private RawClient login(WaSimulator sim) {
        RawClient c = RawClient.login(sim, noiseKey, "51987654321", deviceId);
        return c;
    }

    /** Links a device and returns its logged-in client; {@code jid[0]} receives the device JID. */
    private RawClient linkedAndLoggedIn(WaSimulator sim, String[] jid) throws Exception {
        Phone phone = sim.addPhone("51987654321");
        RawClient pairing = RawClient.register(sim);
        List<String> refs = pairing.takeRefs(WAIT);
        CompletableFuture<LinkedDevice> scan = CompletableFuture.supplyAsync(() -> phone.scan(pairing.qr(refs.get(0))));
        pairing.answerPairSuccess(WAIT, pairing.advSecret);
        LinkedDevice device = scan.get(10, TimeUnit.SECONDS);
        pairing.close();
        jid[0] = device.jid();
        noiseKey = pairing.noiseKey;
        deviceId = device.deviceId();
        RawClient c = login(sim);
        c.next("success", WAIT);
        return c;
    }

    @Test
    void aScriptedAnswerIsUsedOnceForTheFirstMatchThenWhatsAppAnswersAgain() throws Exception {
        WaSimulator sim = simulator.get();
        String[] jid = new String[1];
        try (RawClient c = linkedAndLoggedIn(sim, jid)) {
            sim.enqueue(
                    r -> r instanceof Request.Stanza s && s.isIq("w:p", "ping"),
                    Reply.iqError(503, "service-unavailable"));
            Node refused = c.query(ping(c), WAIT);
            assertThat(refused.attr("type")).isEqualTo("error");
            assertThat(refused.child("error").attrs())
                    .containsEntry("code", "503")
                    .containsEntry("text", "service-unavailable");
            assertThat(c.query(ping(c), WAIT).attr("type")).isEqualTo("result");
            assertThat(sim.events())
                    .filteredOn(e -> e.type().equals("scripted"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.deviceJid()).isEqualTo(jid[0]));
            // a scripted answer is recorded like any node the client sent (once handled: just after the answer left)
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(sim.nodes(jid[0]))
                            .filteredOn(n -> n.isIq("w:p", "ping"))
                            .hasSize(2));
        }
    }

    @Test
    void aLoginCanBeScriptedAndACustomDispatcherDecidesEverythingElse() throws Exception {
        WaSimulator sim = simulator.get();
        String[] jid = new String[1];
        try (RawClient c = linkedAndLoggedIn(sim, jid)) {
            // a dispatcher that serves WhatsApp but never answers pings: the client sees silence
            sim.dispatcher(exchange -> {
                if (exchange.request() instanceof Request.Stanza s && s.isIq("w:p", "ping")) {
                    exchange.ignore();
                } else {
                    exchange.serveAsWhatsApp();
                }
            });
            c.send(ping(c));
            Node pong = c.query(
                    Nodes.parent(
                            "iq",
                            Nodes.attrs("id", c.nextId(), "xmlns", "passive", "type", "set", "to", "@s.whatsapp.net"),
                            Nodes.node("active")),
                    WAIT);
            assertThat(pong.attr("type")).isEqualTo("result");
            assertThat(sim.nodes(jid[0])).anyMatch(n -> n.isIq("w:p", "ping"));
        }
        sim.dispatcher(Dispatcher.WHATSAPP);
        sim.enqueue(
                r -> r instanceof Request.Login login && login.deviceJid().equals(jid[0]),
                Reply.endStream(Failure.of(503).toNode()));
        try (RawClient refused = login(sim)) {
            assertThat(refused.next("failure", WAIT).attr("reason")).isEqualTo("503");
            assertThat(refused.awaitClosed(WAIT)).isTrue();
        }
        assertThat(sim.awaitEvent(e -> e.type().equals("login-rejected"), WAIT).detail())
                .isEqualTo("failure 503");
        try (RawClient again = login(sim)) {
            assertThat(again.next("success", WAIT).attr("lid"))
                    .isEqualTo(sim.device(jid[0]).lid());
        }
    }
}
