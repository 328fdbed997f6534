package dev.linkwell.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/** The service's HTTP API as the harness uses it: start a session, list sessions, readiness, the event stream. */
final class ServiceApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);

    private final URI base;
    private final HttpClient http;

    ServiceApi(URI base) {
        this.base = base;
        // virtual threads: the client's own pool would be platform threads in the measuring JVM (not measured, but
        // there is no reason to hold them); HTTP/1.1, which is what Tomcat speaks without TLS
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** What {@code PUT /sessions/{id}} answered: the session's status and its QR, if it shows one. */
    record Started(String status, String qr) {}

    /** {@code PUT /sessions/{id}} with the provider; fails unless it answers 200. */
    Started put(String sessionId, String provider) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("sessions/" + sessionId))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                                .put("provider", provider)
                                .toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT /sessions/" + sessionId + " -> " + r.statusCode() + " " + r.body());
        }
        JsonNode body = JSON.readTree(r.body());
        return new Started(body.path("status").asText(), body.path("qr").asText(null));
    }

    /** {@code GET /sessions}: every session's status by id. */
    Map<String, String> statuses() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("sessions"))
                        .timeout(REQUEST_TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /sessions -> " + r.statusCode() + " " + r.body());
        }
        Map<String, String> out = new HashMap<>();
        JSON.readTree(r.body())
                .forEach(s ->
                        out.put(s.path("sessionId").asText(), s.path("status").asText()));
        return out;
    }

    /** Whether {@code /actuator/health/readiness} answers 200 (false while it does not answer at all). */
    boolean ready() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(base.resolve("actuator/health/readiness"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code GET /events?type=...}: the open stream of Server-Sent Events, once the service answered. */
    InputStream events(String types) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(base.resolve("events?type=" + types))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IllegalStateException("GET /events -> " + r.statusCode());
        }
        return r.body();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
