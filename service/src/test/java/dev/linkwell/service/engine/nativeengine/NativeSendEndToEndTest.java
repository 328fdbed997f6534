package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.ReceivedMessage;
import dev.linkwell.simulator.WaSimulator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /sessions/{id}/messages} on the native engine, end to end over real sockets: service + engine + the
 * embedded simulator, whose phones decrypt what they get. The message reaches the recipient's phone, our own phone
 * (a DeviceSentMessage) and our other linked device, which shows it as a session.message of ours; the same client
 * id sends once, also across a restart of the service; WhatsApp's refusals and an unknown number are problem
 * details.
 */
class NativeSendEndToEndTest {

    private final Path root = TestStorage.tempRoot("linkwell-native-send");

    private static HttpResponse<String> post(RunningService svc, String session, String body) {
        return svc.api.send(HttpRequest.newBuilder(svc.api.uri("/sessions/" + session + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static Map<String, Object> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Api.json(response);
    }

    private static Map<String, Object> problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Api.json(response);
    }

    private static Phone phone(WaSimulator sim, String number) {
        return sim.phones().stream()
                .filter(p -> p.number().equals(number))
                .findFirst()
                .orElseThrow();
    }

    private static ReceivedMessage awaitReceived(Phone phone, String id) {
        RunningService.awaitTrue(
                "message " + id + " at " + phone.number(),
                () -> phone.receivedMessages().stream().anyMatch(m -> m.id().equals(id)));
        return phone.receivedMessages().stream()
                .filter(m -> m.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aTextArrivesDecryptedAtTheRecipientOurPhoneAndOurOtherDevice() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder otherEvents = new EventRecorder(svc.bean(EventBus.class), "alice2")) {
            WaSimulator sim = svc.simulator();
            svc.pairByQr("alice", "5511900000101");
            Phone mine = phone(sim, "5511900000101");
            // our other linked device: a second session the same phone links
            svc.api.put("/sessions/alice2");
            String otherDevice =
                    mine.scan((String) svc.awaitQr("alice2").get("qr")).jid();
            svc.awaitStatus("alice2", "ready");
            svc.awaitFirstLoginDone(otherDevice);
            Phone friend = sim.addPhone("5511900000102");

            Map<String, Object> sent =
                    created(post(svc, "alice", "{\"to\":\"5511900000102\",\"text\":\"hello from the API\"}"));
            String id = (String) sent.get("id");
            assertThat(sent).containsEntry("sessionId", "alice").containsEntry("to", "5511900000102@s.whatsapp.net");
            assertThat(id).matches("3EB0[0-9A-F]{18}");

            ReceivedMessage got = awaitReceived(friend, id);
            assertThat(got.text()).isEqualTo("hello from the API");
            assertThat(got.fromMe()).isFalse();
            ReceivedMessage copy = awaitReceived(mine, id);
            assertThat(copy.fromMe()).isTrue();
            assertThat(copy.chat()).isEqualTo(friend.jid());
            assertThat(copy.text()).isEqualTo("hello from the API");
            // our other device decrypted its own copy: a session.message sent by us, in the chat with the friend
            EventRecorder.Event mirrored =
                    otherEvents.await(EventType.MESSAGE, e -> id.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(mirrored.data())
                    .containsEntry("fromMe", true)
                    .containsEntry("text", "hello from the API")
                    .containsEntry("chat", friend.jid());
        }
    }

    @Test
    void theSameClientIdSendsOnceAlsoAfterARestart() {
        String id;
        try (RunningService svc = RunningService.start(root)) {
            svc.pairByQr("bob", "5511900000111");
            svc.simulator().addPhone("5511900000112");
            id = (String) created(post(
                            svc, "bob", "{\"to\":\"5511900000112\",\"text\":\"order shipped\",\"id\":\"order-1\"}"))
                    .get("id");
            Map<String, Object> again = created(
                    post(svc, "bob", "{\"to\":\"5511900000112\",\"text\":\"order shipped\",\"id\":\"order-1\"}"));
            assertThat(again).containsEntry("id", id).containsEntry("clientId", "order-1");
            awaitReceived(phone(svc.simulator(), "5511900000112"), id);
        }
        try (RunningService svc = RunningService.start(root)) {
            svc.awaitStatus("bob", "ready");
            Map<String, Object> afterRestart = created(
                    post(svc, "bob", "{\"to\":\"5511900000112\",\"text\":\"order shipped\",\"id\":\"order-1\"}"));
            assertThat(afterRestart).containsEntry("id", id);
            assertThat(problem(
                                    post(
                                            svc,
                                            "bob",
                                            "{\"to\":\"5511900000112\",\"text\":\"other text\",\"id\":\"order-1\"}"),
                                    409)
                            .get("title"))
                    .isEqualTo("Message id already used");
            String fresh = (String)
                    created(post(svc, "bob", "{\"to\":\"5511900000112\",\"text\":\"next\",\"id\":\"order-2\"}"))
                            .get("id");
            Phone friend = phone(svc.simulator(), "5511900000112");
            awaitReceived(friend, fresh);
            // what the phone read since the restart (its inbox lives in memory): the new message, not the old again
            assertThat(friend.receivedMessages())
                    .extracting(ReceivedMessage::text)
                    .containsExactly("next");
        }
    }

    @Test
    void refusalsAndUnknownNumbersAreProblemDetails() {
        try (RunningService svc = RunningService.start(root)) {
            String me = svc.pairByQr("carol", "5511900000121");
            svc.simulator().addPhone("5511900000122");

            Map<String, Object> unknown = problem(post(svc, "carol", "{\"to\":\"5215550000\",\"text\":\"hi\"}"), 422);
            assertThat(unknown.get("title")).isEqualTo("Unknown number");
            assertThat((String) unknown.get("detail")).contains("5215550000 is not on WhatsApp");

            svc.simulator().refuseNextMessage(me, 463);
            Map<String, Object> refused =
                    problem(post(svc, "carol", "{\"to\":\"5511900000122\",\"text\":\"hi\"}"), 502);
            assertThat(refused.get("title")).isEqualTo("WhatsApp refused the message");
            assertThat((String) refused.get("detail")).contains("error 463").contains("reach-out lock");

            Map<String, Object> group =
                    problem(post(svc, "carol", "{\"to\":\"120363000000000000@g.us\",\"text\":\"hi\"}"), 501);
            assertThat((String) group.get("detail")).contains("users only");

            // after all that the session still sends
            String id = (String) created(post(svc, "carol", "{\"to\":\"5511900000122\",\"text\":\"still here\"}"))
                    .get("id");
            assertThat(awaitReceived(phone(svc.simulator(), "5511900000122"), id)
                            .text())
                    .isEqualTo("still here");
        }
    }
}
