package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WaSimulator sim;
    private static AdminApi api;

    @BeforeAll
    static void start() {
        sim = WaSimulator.start(SimulatorConfig.defaults());
        api = new AdminApi(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static JsonNode json(AdminApi.AdminResponse r) throws Exception {
        return JSON.readTree(r.json());
    }

    private static AdminApi.AdminResponse call(String method, String path, String body) {
        return api.handle(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void trustAnchorAndIndex() throws Exception {
        AdminApi.AdminResponse r = call("GET", "/trust-anchor", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).path("trustAnchor").asText())
                .isEqualTo(sim.trustAnchor().hex())
                .hasSize(64);
        assertThat(json(call("GET", "/", null)).path("endpoints").size()).isGreaterThan(10);
    }

    @Test
    void createsAndListsPhones() throws Exception {
        AdminApi.AdminResponse r = call("POST", "/phones", "{\"number\":\"5215550001\"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode phone = json(r);
        assertThat(phone.path("number").asText()).isEqualTo("5215550001");
        assertThat(phone.path("jid").asText()).isEqualTo("5215550001@s.whatsapp.net");
        String id = phone.path("id").asText();
        assertThat(json(call("GET", "/phones", null)).findValuesAsText("id")).contains(id);
        assertThat(json(call("GET", "/phones/" + id, null)).path("number").asText())
                .isEqualTo("5215550001");
        assertThat(call("POST", "/phones", "{\"number\":\"5215550001\"}").status())
                .isEqualTo(409);
    }

    @Test
    void aPhoneListsWhatItReadAndCanBeMadeToFailTheNextDecryption() throws Exception {
        String id = json(call("POST", "/phones", "{\"number\":\"5215550077\"}"))
                .path("id")
                .asText();
        AdminApi.AdminResponse messages = call("GET", "/phones/" + id + "/messages", null);
        assertThat(messages.status()).isEqualTo(200);
        assertThat(json(messages).isArray()).isTrue();
        assertThat(json(messages).size()).isZero();
        assertThat(call("POST", "/phones/" + id + "/messages", null).status()).isEqualTo(405);
        AdminApi.AdminResponse failNext = call("POST", "/phones/" + id + "/fail-next-decrypt", null);
        assertThat(failNext.status()).isEqualTo(200);
        assertThat(json(failNext).path("failNextDecrypt").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "POST|/phones|{\"number\":\"12345\"}|400|7 to 15 digits",
                "POST|/phones|{\"number\":\"1234567890123456\"}|400|7 to 15 digits",
                "POST|/phones|{\"number\":\"51abc654321\"}|400|7 to 15 digits",
                "POST|/phones|{\"number\":51987654321}|400|must be a string",
                "POST|/phones|{}|400|is required",
                "POST|/phones|[1,2]|400|JSON object",
                "POST|/phones|{not json|400|not valid JSON",
                "POST|/phones||400|JSON object",
                "DELETE|/phones||405|not allowed",
                "GET|/nope||404|no such endpoint",
                "POST|/phones/phone-999/scan|{\"qr\":\"a,b,c,d\"}|404|no phone",
                "GET|/devices/1:1@s.whatsapp.net||404|no linked device",
                "POST|/devices/1:1@s.whatsapp.net/remove||404|no linked device",
                "GET|/devices/1:1@s.whatsapp.net/nodes||404|no linked device",
                "POST|/devices/1:1@s.whatsapp.net/refuse-next-message|{\"code\":463}|404|no linked device",
                "GET|/phones/phone-999/messages||404|no phone",
                "POST|/phones/phone-999/fail-next-decrypt||404|no phone",
                "POST|/devices/1:1@s.whatsapp.net/messages|{\"from\":\"phone-999\",\"text\":\"x\"}|404|no phone",
                "POST|/devices/1:1@s.whatsapp.net/faults|{\"corrupt\":1}|404|no linked device",
                "POST|/devices/1:1@s.whatsapp.net/faults|{}|400|at least one of corrupt, reverse, twice",
                "POST|/devices/1:1@s.whatsapp.net/faults|{\"reverse\":1}|400|between 2 and 1000",
                "POST|/phones/phone-999/send|{\"chat\":\"1@s.whatsapp.net\",\"text\":\"x\"}|404|no phone",
                "POST|/devices/1:1@s.whatsapp.net/stream-error|{\"code\":\"x\"}|400|must be an integer",
                "POST|/devices/1:1@s.whatsapp.net/stream-error|{\"code\":5}|400|between",
                "POST|/devices/1:1@s.whatsapp.net/unknown||404|no such endpoint",
                "POST|/devices/1:1@s.whatsapp.net/silence||404|no linked device",
                "GET|/devices/1:1@s.whatsapp.net/silence||405|not allowed",
                "POST|/devices/1:1@s.whatsapp.net/prekey-low|{\"count\":3}|404|no linked device",
                "POST|/devices/1:1@s.whatsapp.net/prekey-low|{\"count\":-1}|400|between",
                "POST|/devices/1:1@s.whatsapp.net/prekey-low|{\"count\":\"3\"}|400|must be an integer",
                "POST|/devices/1:1@s.whatsapp.net/prekey-low||400|JSON object",
                "POST|/refuse|{\"seconds\":-1}|400|between",
                "POST|/refuse|{\"seconds\":1.5}|400|must be an integer",
                "GET|/devices/%zz||400|percent-encoding",
            })
    void badInputIsA4xxWithAClearMessage(String method, String path, String body, int status, String message)
            throws Exception {
        AdminApi.AdminResponse r = call(method, path, body);
        assertThat(r.status()).as(r.json()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).contains(message);
    }

    @Test
    void phoneCommandsValidateTheirInput() throws Exception {
        String id = json(call("POST", "/phones", "{\"number\":\"5215550002\"}"))
                .path("id")
                .asText();
        assertThat(call("POST", "/phones/" + id + "/scan", "{\"qr\":\"only,three,parts\"}")
                        .status())
                .isEqualTo(400);
        assertThat(call("POST", "/phones/" + id + "/scan", "{\"qr\":\"ref,!!,!!,!!\"}")
                        .status())
                .isEqualTo(400);
        AdminApi.AdminResponse unknownRef = call(
                "POST",
                "/phones/" + id + "/scan",
                "{\"qr\":\"2@x,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}");
        assertThat(unknownRef.status()).isEqualTo(404);
        AdminApi.AdminResponse unknownUrlRef = call(
                "POST",
                "/phones/" + id + "/scan",
                "{\"qr\":\"https://wa.me/settings/linked_devices#2@x,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,1\"}");
        assertThat(unknownUrlRef.status()).isEqualTo(404);
        assertThat(json(unknownUrlRef).path("error").asText()).isEqualTo("no connection is showing QR ref 2@x");
        AdminApi.AdminResponse badUrl = call(
                "POST",
                "/phones/" + id + "/scan",
                "{\"qr\":\"https://wa.me/settings/linked_devices#2@x,AAAA,AAAA,AAAA\"}");
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(json(badUrl).path("error").asText())
                .isEqualTo("QR URL must end with #ref,noisePub,identityPub,advSecret,platformId, got 4 parts");
        assertThat(call("POST", "/phones/" + id + "/link-code", "{\"code\":\"ABC\"}")
                        .status())
                .isEqualTo(400);
        assertThat(json(call("POST", "/phones/" + id + "/send", "{\"chat\":\"not a jid\",\"text\":\"x\"}"))
                        .path("error")
                        .asText())
                .contains("not a chat JID");
        AdminApi.AdminResponse noCompanion = call("POST", "/phones/" + id + "/link-code", "{\"code\":\"ABCD-1234\"}");
        assertThat(noCompanion.status()).isEqualTo(409);
        assertThat(json(noCompanion).path("error").asText()).contains("no companion is waiting");
    }

    @Test
    void connectionAttemptsPerSecond() throws Exception {
        long before = sim.connectionAttempts().total();
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.newWebSocketBuilder()
                    .buildAsync(URI.create(sim.webSocketUrl()), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS)
                    .abort();
        }

        JsonNode body = json(call("GET", "/connection-attempts", null));

        assertThat(body.path("total").asLong()).isEqualTo(before + 1);
        assertThat(body.path("windowSeconds").asInt()).isEqualTo(ConnectionAttempts.WINDOW_SECONDS);
        assertThat(body.path("peakPerSecond").asInt()).isPositive();
        assertThat(body.path("perSecond").get(0).path("at").asText()).endsWith("Z");
        assertThat(call("POST", "/connection-attempts", "{}").status()).isEqualTo(405);
    }

    @Test
    void tooLargeBodyIsRefused() {
        byte[] big = new byte[AdminApi.MAX_BODY + 1];
        assertThat(api.handle("POST", "/phones", big).status()).isEqualTo(413);
    }

    @Test
    void nullsNeverThrow() {
        assertThat(api.handle(null, null, null).status()).isEqualTo(405);
        assertThat(api.handle("GET", null, null).status()).isEqualTo(200);
    }

    @Test
    void httpAdapterServesTheSameHandler() throws Exception {
        try (AdminHttpServer http = AdminHttpServer.start(api, "127.0.0.1", 0)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ok = client.send(
                    HttpRequest.newBuilder(URI.create(http.url() + "/phones"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"number\":\"5215550003\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(201);
            assertThat(ok.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).contains("json"));
            HttpResponse<String> bad = client.send(
                    HttpRequest.newBuilder(URI.create(http.url() + "/phones"))
                            .POST(HttpRequest.BodyPublishers.ofString("{"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).path("error").asText()).isNotBlank();
            HttpResponse<String> huge = client.send(
                    HttpRequest.newBuilder(URI.create(http.url() + "/phones"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[AdminApi.MAX_BODY + 10]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(huge.statusCode()).isEqualTo(413);
        }
    }
}
