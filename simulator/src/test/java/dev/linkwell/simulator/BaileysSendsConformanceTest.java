package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkwell.protocol.stanza.OutboundMessage;
import dev.linkwell.protocol.stanza.PreKeyFetch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's Signal side checked by code nobody here wrote: {@code baileys@7.0.0-rc14} (libsignal-node 6.0.0)
 * links to the standalone simulator and sends texts with {@code sock.sendMessage}
 * ({@code conformance/simulator-baileys-send.js}); the phone and the sender's own phone must read them through the
 * admin API. On the server side: Baileys asked the devices (usync) and the bundles (prekey fetch) and sent one
 * {@code <enc>} per device with its device identity. Skipped like {@link BaileysConformanceTest} without node or
 * Baileys.
 */
class BaileysSendsConformanceTest {

    @Test
    void aTextBaileysSendsIsReadByThePhoneAndByTheSendersOwnPhone() throws Exception {
        Path dir = BaileysConformanceTest.conformanceDir(BaileysConformanceTest.Line.BAILEYS_7);
        String node = BaileysConformanceTest.findNode();
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults());
                AdminHttpServer admin = AdminHttpServer.start(new AdminApi(sim), "127.0.0.1", 0)) {
            JsonNode result = BaileysConformanceTest.runScript(
                    node, dir, "simulator-baileys-send.js", admin.url(), sim.webSocketUrl());
            List<String> steps = new ArrayList<>();
            result.path("steps")
                    .forEach(s -> steps.add(
                            s.isTextual() ? s.asText() : s.path("step").asText()));
            assertThat(steps)
                    .containsExactly(
                            "load baileys",
                            "pair and log in",
                            "send: the phone reads the first text",
                            "send: our own phone reads it as sent by us",
                            "send: a second text in the same sessions");

            String device = result.path("steps").get(1).path("device").asText();
            List<RecordedNode> sent = sim.nodes(device);
            assertThat(sent)
                    .anyMatch(n -> n.isIq("usync", "usync")
                            && n.node().child("usync").child("query").child("devices") != null);
            assertThat(sent).anyMatch(n -> n.tag().equals("iq") && PreKeyFetch.is(n.node()));
            OutboundMessage first = OutboundMessage.from(sent.stream()
                    .filter(n -> n.tag().equals("message"))
                    .findFirst()
                    .orElseThrow()
                    .node());
            assertThat(first.participants())
                    .extracting(OutboundMessage.Participant::jid)
                    .containsExactlyInAnyOrder("51987600002@s.whatsapp.net", "51987600001@s.whatsapp.net");
            // the recipient's phone never wrote to this device: its first message starts a session; our own phone
            // may already have one (its app-state key share after linking, a pkmsg Baileys may have read by now)
            assertThat(first.participants())
                    .filteredOn(p -> p.jid().equals("51987600002@s.whatsapp.net"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.enc().type()).isEqualTo("pkmsg"));
            assertThat(first.participants())
                    .filteredOn(p -> p.jid().equals("51987600001@s.whatsapp.net"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.enc().type()).isIn("pkmsg", "msg"));
            assertThat(first.deviceIdentity()).isPresent();
            // each text read by both phones, once per copy Baileys addressed to it: once seen on CI, a phone read a
            // text twice, so here the simulator must relay exactly what the device sent, no copy more or less
            for (int step : List.of(2, 4)) {
                String id = result.path("steps").get(step).path("id").asText();
                for (String phone : List.of("phone-1", "phone-2")) {
                    String phoneJid = sim.phone(phone).jid();
                    long copies = sent.stream()
                            .filter(n -> n.tag().equals("message")
                                    && id.equals(n.node().attr("id")))
                            .map(n -> OutboundMessage.from(n.node()))
                            .mapToLong(m -> copiesFor(m, phoneJid))
                            .sum();
                    long handled = sim.events().stream()
                            .filter(e -> switch (e) {
                                case SimulatorEvent.PhoneRead r ->
                                    r.id().equals(id) && r.phoneId().equals(phone);
                                case SimulatorEvent.PhoneRetry r ->
                                    r.id().equals(id) && r.phoneId().equals(phone);
                                default -> false;
                            })
                            .count();
                    assertThat(sim.events())
                            .as(phone + " read " + id)
                            .anyMatch(e -> e instanceof SimulatorEvent.PhoneRead r
                                    && r.id().equals(id)
                                    && r.phoneId().equals(phone));
                    assertThat(handled)
                            .as("what " + phone + " did with " + id + " (read or asked again) against the copies sent")
                            .isEqualTo(copies);
                }
            }
        }
    }

    /** How many copies of {@code m} are addressed to {@code jid}: a fan-out's {@code <to>} entries, or a direct one. */
    private static long copiesFor(OutboundMessage m, String jid) {
        long inFanout =
                m.participants().stream().filter(p -> p.jid().equals(jid)).count();
        return inFanout + (m.direct().isPresent() && jid.equals(m.to()) ? 1 : 0);
    }
}
