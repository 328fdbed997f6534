package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.engine.nativeengine.RunningService;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.Reply;
import dev.linkwell.simulator.Request;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /sessions/{id}/messages} over HTTP against real engines and the simulator: what is checked at the edge,
 * a session that is not ready, what the native engine does not send (groups), and the Baileys engine sending to a
 * phone that reads the text, meeting a server error, an unknown number and a closed session. The native engine's
 * sending end to end is NativeSendEndToEndTest's.
 */
class MessagesEndpointTest {

    private final Path root = TestStorage.tempRoot("linkwell-messages");

    private static HttpResponse<String> post(RunningService svc, String id, String body) {
        return svc.api.send(java.net.http.HttpRequest.newBuilder(svc.api.uri("/sessions/" + id + "/messages"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static Map<String, Object> problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        return Api.json(response);
    }

    @Test
    void badInputIsRefusedAtTheEdgeAndTheNativeEngineRefusesGroupsAndSessionsNotReady() {
        try (RunningService svc = RunningService.start(root)) {
            assertThat(problem(post(svc, "nobody", "{\"to\":\"51987654321\",\"text\":\"hi\"}"), 404)
                            .get("detail"))
                    .isEqualTo("no session 'nobody'");
            assertThat((String) problem(post(svc, "bad%20id", "{\"to\":\"51987654321\",\"text\":\"hi\"}"), 400)
                            .get("detail"))
                    .contains("session id must match");
            assertThat((String) problem(post(svc, "x", "{\"to\":\"+51 987\",\"text\":\"hi\"}"), 400)
                            .get("detail"))
                    .contains("phone number");
            assertThat((String) problem(post(svc, "x", "{\"to\":\"51987654321\",\"text\":\"\"}"), 400)
                            .get("detail"))
                    .contains("text must be a non-empty string");
            assertThat((String) problem(post(svc, "x", "{\"to\":\"51987654321\",\"text\":\"hi\",\"cc\":\"me\"}"), 400)
                            .get("detail"))
                    .contains("unknown field 'cc'");
            assertThat((String) problem(
                                    post(svc, "x", "{\"to\":\"51987654321\",\"text\":\"" + "x".repeat(5000) + "\"}"),
                                    413)
                            .get("detail"))
                    .contains("larger than");

            // a native session: not ready yet (409), then ready, where the native engine sends to users, not groups
            svc.api.put("/sessions/nat");
            String qr = (String) svc.awaitQr("nat").get("qr");
            assertThat((String) problem(post(svc, "nat", "{\"to\":\"51987654321\",\"text\":\"hi\"}"), 409)
                            .get("detail"))
                    .isEqualTo("session 'nat' is starting; sending needs status ready");
            svc.simulator().addPhone("5511950000001").scan(qr);
            svc.awaitStatus("nat", "ready");
            Map<String, Object> group =
                    problem(post(svc, "nat", "{\"to\":\"120363000000000000@g.us\",\"text\":\"hi\"}"), 501);
            assertThat(group.get("title")).isEqualTo("Sending not implemented");
            assertThat(group.get("detail"))
                    .isEqualTo("the native engine sends to users only, not to 120363000000000000@g.us");
        }
    }

    /**
     * Baileys asks WhatsApp whether the number exists before sending (usync, contact protocol), then sends with
     * Baileys' own Signal (libsignal-node): the simulated phone reads the text. A refused query is WhatsApp's refusal,
     * with WhatsApp's words, as 502 (and not remembered: the same id sends later); an unknown number is 422, a
     * closed session 409.
     */
    @Test
    void theBaileysEngineSendsATextThePhoneReadsAndReportsRefusalsUnknownNumbersAndClosedSessions() {
        BaileysInstall.assumeInstalled();
        try (RunningService svc = BaileysEngineEndToEndTest.start(root)) {
            BaileysEngineEndToEndTest.pairByQr(svc, "bsend", "5511950000002");
            Phone friend = svc.simulator().addPhone("5511950000003");
            String body = "{\"to\":\"" + friend.number() + "\",\"text\":\"hi\",\"id\":\"o-1\"}";
            svc.simulator()
                    .enqueue(
                            r -> r instanceof Request.Stanza s && s.isIq("usync", "usync"),
                            Reply.iqError(501, "feature-not-implemented"));
            Map<String, Object> refused = problem(post(svc, "bsend", body), 502);
            assertThat(refused.get("title")).isEqualTo("WhatsApp refused the message");
            assertThat((String) refused.get("detail"))
                    .contains("WhatsApp answered 501")
                    .contains("feature-not-implemented");

            // a failed send is not remembered: the same id sends now, once
            assertThat(post(svc, "bsend", body).statusCode()).isEqualTo(201);
            RunningService.awaitTrue(
                    "the phone reads Baileys' text",
                    () -> friend.receivedMessages().stream().anyMatch(m -> "hi".equals(m.text())));
            assertThat(post(svc, "bsend", body).statusCode()).isEqualTo(201);
            assertThat(friend.receivedMessages()).hasSize(1);

            assertThat(problem(post(svc, "bsend", "{\"to\":\"5215550000\",\"text\":\"hi\"}"), 422)
                            .get("detail"))
                    .isEqualTo("5215550000 is not on WhatsApp");

            svc.api.delete("/sessions/bsend");
            assertThat((String) problem(post(svc, "bsend", "{\"to\":\"" + friend.number() + "\",\"text\":\"hi\"}"), 409)
                            .get("detail"))
                    .isEqualTo("session 'bsend' is closed; sending needs status ready");
        }
    }
}
