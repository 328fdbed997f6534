package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.engine.nativeengine.RunningService;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.Phone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /sessions/{id}/messages} over HTTP against real engines and the simulator: what is checked at the edge,
 * a session that is not ready, the native engine (which cannot send yet), and the Baileys engine meeting a server
 * error. A message that arrives at a phone needs simulator phones that speak Signal (the messages issue), so no test
 * here claims one.
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
    void badInputIsRefusedAtTheEdgeAndTheNativeEngineSaysItCannotSendYet() {
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

            // a native session: not ready yet (409), then ready, where the native engine answers 501
            svc.api.put("/sessions/nat");
            String qr = (String) svc.awaitQr("nat").get("qr");
            assertThat((String) problem(post(svc, "nat", "{\"to\":\"51987654321\",\"text\":\"hi\"}"), 409)
                            .get("detail"))
                    .isEqualTo("session 'nat' is starting; sending needs status ready");
            svc.simulator().addPhone("5511950000001").scan(qr);
            svc.awaitStatus("nat", "ready");
            Map<String, Object> notYet = problem(post(svc, "nat", "{\"to\":\"51987654321\",\"text\":\"hi\"}"), 501);
            assertThat(notYet.get("title")).isEqualTo("Sending not implemented");
            assertThat(notYet.get("detail"))
                    .isEqualTo("sending is not implemented for provider native yet; use provider baileys to send");
        }
    }

    /**
     * Baileys asks WhatsApp whether the number exists before sending (usync, contact protocol); the simulator does not
     * simulate that query and answers it 501 as a server answers what it does not serve: the API says WhatsApp refused,
     * with WhatsApp's words, as 502. A closed session is 409.
     */
    @Test
    void theBaileysEngineReportsAServerErrorAsABadGatewayAndAClosedSessionAsNotReady() {
        BaileysInstall.assumeInstalled();
        try (RunningService svc = BaileysEngineEndToEndTest.start(root)) {
            BaileysEngineEndToEndTest.pairByQr(svc, "bsend", "5511950000002");
            Phone friend = svc.simulator().addPhone("5511950000003");
            Map<String, Object> refused = problem(
                    post(svc, "bsend", "{\"to\":\"" + friend.number() + "\",\"text\":\"hi\",\"id\":\"o-1\"}"), 502);
            assertThat(refused.get("title")).isEqualTo("WhatsApp refused the message");
            assertThat((String) refused.get("detail"))
                    .contains("WhatsApp answered 501")
                    .contains("feature-not-implemented");
            // a failed send is not remembered: the same id tries again (and meets the same refusal)
            problem(post(svc, "bsend", "{\"to\":\"" + friend.number() + "\",\"text\":\"hi\",\"id\":\"o-1\"}"), 502);

            svc.api.delete("/sessions/bsend");
            assertThat((String) problem(post(svc, "bsend", "{\"to\":\"" + friend.number() + "\",\"text\":\"hi\"}"), 409)
                            .get("detail"))
                    .isEqualTo("session 'bsend' is closed; sending needs status ready");
        }
    }
}
