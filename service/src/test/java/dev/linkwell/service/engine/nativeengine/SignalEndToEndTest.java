package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.stanza.RetryReceipt;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.PhoneProfile;
import dev.linkwell.simulator.RecordedNode;
import dev.linkwell.simulator.WaSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Phone to linked device, end to end: the service with the native engine and the embedded simulator, whose phones
 * Signal-encrypt what they send (issue 10's inbound list). Every wait is bounded ({@link RunningService#WAIT}).
 * "Surfaces once" is checked after a last message: the engine handles one connection's stanzas in order, so once
 * the last one is an event, any double of an earlier one would be one too.
 */
class SignalEndToEndTest {

    private final Path root = TestStorage.tempRoot("linkwell-signal-e2e");

    private static EventRecorder.Event await(EventRecorder events, String id) {
        return events.await(EventType.MESSAGE, e -> id.equals(e.data().get("id")), RunningService.WAIT);
    }

    private static Map<Object, Long> countByText(EventRecorder events) {
        return events.of(EventType.MESSAGE).stream()
                .collect(Collectors.groupingBy(e -> e.data().get("text"), Collectors.counting()));
    }

    @Test
    void aPreKeyMessageThenAHundredInOrderAndTenOutOfOrderSurfaceOnceEachWithTheirText() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "sig1")) {
            String jid = svc.pairByQr("sig1", "5511900000101");
            WaSimulator sim = svc.simulator();
            Phone friend = sim.addPhone("5511900000102");

            String first = friend.sendMessage(jid, "first");
            assertThat(await(events, first).data())
                    .containsEntry("text", "first")
                    .containsEntry("type", "text")
                    .containsEntry("from", friend.jid())
                    .containsEntry("raw", Map.of("conversation", "first"));
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add(friend.sendMessage(jid, "in order " + i));
            }
            sim.reverseNextMessages(jid, 10);
            for (int i = 0; i < 10; i++) {
                sent.add(friend.sendMessage(jid, "out of order " + i));
            }
            await(events, friend.sendMessage(jid, "last"));

            Map<Object, Long> byText = countByText(events);
            assertThat(byText)
                    .hasSize(112)
                    .allSatisfy((text, n) -> assertThat(n).as(text.toString()).isEqualTo(1));
            Map<Object, Object> textById = events.of(EventType.MESSAGE).stream()
                    .collect(Collectors.toMap(
                            e -> e.data().get("id"), e -> e.data().get("text")));
            for (int i = 0; i < 100; i++) {
                assertThat(textById.get(sent.get(i))).isEqualTo("in order " + i);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(textById.get(sent.get(100 + i))).isEqualTo("out of order " + i);
            }
            List<Object> outOfOrder = events.of(EventType.MESSAGE).stream()
                    .map(e -> e.data().get("text"))
                    .filter(t -> t.toString().startsWith("out of order"))
                    .toList();
            assertThat(outOfOrder.getFirst()).as("they arrived newest first").isEqualTo("out of order 9");
        }
    }

    @Test
    void aGroupMessageFromALidMemberSurfacesInItsGroupWithBothAddresses() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "sig2")) {
            String jid = svc.pairByQr("sig2", "5511900000103");
            Phone member = svc.simulator().addPhone("5511900000104", PhoneProfile.LID);
            String group = "120363000000000104@g.us";

            Map<String, Object> first = await(events, member.sendGroupMessage(group, jid, "hello group"))
                    .data();
            assertThat(first)
                    .containsEntry("chat", group)
                    .containsEntry("from", member.lid())
                    .containsEntry("fromPn", member.jid())
                    .containsEntry("text", "hello group");
            Map<String, Object> second = await(events, member.sendGroupMessage(group, jid, "sender key only"))
                    .data();
            assertThat(second).containsEntry("chat", group).containsEntry("text", "sender key only");
            assertThat(countByText(events)).containsOnlyKeys("hello group", "sender key only");
        }
    }

    @Test
    void aRestartOfTheServiceInTheMiddleOfAConversationKeepsDecrypting() {
        String jid;
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "sig3")) {
            jid = svc.pairByQr("sig3", "5511900000105");
            Phone friend = svc.simulator().addPhone("5511900000106");
            for (int i = 0; i < 5; i++) {
                await(events, friend.sendMessage(jid, "before " + i));
            }
        }
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "sig3")) {
            svc.awaitStatus("sig3", "ready");
            Phone friend = svc.simulator().phones().stream()
                    .filter(p -> p.number().equals("5511900000106"))
                    .findFirst()
                    .orElseThrow();
            for (int i = 0; i < 5; i++) {
                assertThat(await(events, friend.sendMessage(jid, "after " + i)).data())
                        .containsEntry("text", "after " + i);
            }
            assertThat(countByText(events)).hasSize(5);
        }
    }

    @Test
    void aCorruptedCiphertextLeadsToARetryReceiptThenTheRightText() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "sig4")) {
            String jid = svc.pairByQr("sig4", "5511900000107");
            WaSimulator sim = svc.simulator();
            Phone friend = sim.addPhone("5511900000108");
            await(events, friend.sendMessage(jid, "intact"));

            sim.corruptNextMessages(jid, 1);
            String id = friend.sendMessage(jid, "damaged, then resent");
            assertThat(await(events, id).data()).containsEntry("text", "damaged, then resent");
            RecordedNode retry = sim.takeNode(
                    jid,
                    n -> n.tag().equals("receipt") && "retry".equals(n.node().attr("type")),
                    RunningService.WAIT);
            assertThat(RetryReceipt.from(retry.node()).orElseThrow().messageId())
                    .isEqualTo(id);
            await(events, friend.sendMessage(jid, "after"));
            assertThat(countByText(events)).containsOnlyKeys("intact", "damaged, then resent", "after");
        }
    }

    @Test
    void aMessageTheOwnerWroteOnThePhoneArrivesFromMe() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "sig5")) {
            svc.pairByQr("sig5", "5511900000109");
            Phone owner = svc.simulator().phones().stream()
                    .filter(p -> p.number().equals("5511900000109"))
                    .findFirst()
                    .orElseThrow();
            String id = owner.sendFromPhone("5511900000110@s.whatsapp.net", "from my phone");
            Map<String, Object> m = await(events, id).data();
            assertThat(m)
                    .containsEntry("fromMe", true)
                    .containsEntry("chat", "5511900000110@s.whatsapp.net")
                    .containsEntry("text", "from my phone");
            assertThat(events.of(EventType.MESSAGE))
                    .as("the phone's app-state key and history notification are not messages")
                    .extracting(e -> e.data().get("id"))
                    .containsExactly(id);
        }
    }
}
