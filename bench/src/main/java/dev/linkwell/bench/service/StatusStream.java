package dev.linkwell.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The service's {@code session.status} and {@code session.qr} events over SSE, as a client of the API follows them:
 * tells when a session showed its first QR and when it opened, and remembers every session that left {@code open}
 * afterwards (a drop nobody asked for; an idle benchmark must have none).
 */
final class StatusStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream body;
    private final Map<String, CompletableFuture<Void>> opened = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<String>> qr = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> drops = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    private StatusStream(InputStream body) {
        this.body = body;
        Thread.ofVirtual().name("status-stream").start(this::read);
    }

    static StatusStream open(ServiceApi api) throws IOException, InterruptedException {
        return new StatusStream(api.events("session.status,session.qr"));
    }

    /** Completes when the session reports {@code open} (now or already). */
    CompletableFuture<Void> opened(String sessionId) {
        return opened.computeIfAbsent(sessionId, id -> new CompletableFuture<>());
    }

    /** Completes with the session's first QR (now or already). */
    CompletableFuture<String> qr(String sessionId) {
        return qr.computeIfAbsent(sessionId, id -> new CompletableFuture<>());
    }

    /** Sessions that left {@code open} while the stream ran, with the status they reported. */
    List<String> drops() {
        return List.copyOf(drops);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    onEvent(JSON.readTree(line.substring(5)));
                }
            }
        } catch (IOException e) {
            if (!closing) {
                drops.add("the event stream ended: " + e);
            }
        }
    }

    private void onEvent(JsonNode event) {
        String id = event.path("sessionId").asText();
        if (event.path("type").asText().equals("session.qr")) {
            qr(id).complete(event.path("data").path("qr").asText());
            return;
        }
        String status = event.path("data").path("status").asText();
        CompletableFuture<Void> open = opened(id);
        if (status.equals("open")) {
            open.complete(null);
        } else if (open.isDone()) {
            drops.add(
                    id + ": " + status + " " + event.path("data").path("reason").asText(""));
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        body.close();
    }
}
