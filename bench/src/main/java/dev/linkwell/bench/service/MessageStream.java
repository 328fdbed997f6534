package dev.linkwell.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's {@code session.message} events over SSE, as a client of the API receives them: when each message id
 * arrived ({@link System#nanoTime()} as the line was read), so a sender can time phone-send to receipt. An
 * {@code undecryptable} message counts as arrived, and is counted apart: it is a message lost.
 */
final class MessageStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream body;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Boolean> undecryptable = new ConcurrentHashMap<>();
    private volatile String ended;
    private volatile boolean closing;

    private MessageStream(InputStream body) {
        this.body = body;
        Thread.ofVirtual().name("message-stream").start(this::read);
    }

    static MessageStream open(ServiceApi api) throws IOException, InterruptedException {
        return new MessageStream(api.events("session.message"));
    }

    /** When the message arrived, or null while it has not. */
    Long arrivedAt(String messageId) {
        return arrivals.get(messageId);
    }

    /** How many of these ids arrived so far. */
    int arrived(Collection<String> ids) {
        int n = 0;
        for (String id : ids) {
            if (arrivals.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    /** How many messages arrived since the stream opened. */
    int count() {
        return arrivals.size();
    }

    int undecryptable() {
        return undecryptable.size();
    }

    /** Why the stream ended while it was not being closed (the service disconnects a client that falls behind). */
    String ended() {
        return ended;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    long now = System.nanoTime();
                    JsonNode data = JSON.readTree(line.substring(5)).path("data");
                    String id = data.path("id").asText();
                    arrivals.putIfAbsent(id, now);
                    if (data.path("type").asText().equals("undecryptable")) {
                        undecryptable.put(id, true);
                    }
                }
            }
            if (!closing) {
                ended = "the service ended the stream";
            }
        } catch (IOException e) {
            if (!closing) {
                ended = "the event stream failed: " + e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        body.close();
    }
}
