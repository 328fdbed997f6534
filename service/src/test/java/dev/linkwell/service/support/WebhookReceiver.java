package dev.linkwell.service.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real webhook receiver on loopback: records every POST it gets (headers and body) and answers as
 * the test scripts it: a status, a stall past the service's timeout, a hold until the test lets go,
 * or anything a {@link Function} decides. Unscripted requests get 204.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived; {@code headers} names are lower case. */
    public record Received(Map<String, String> headers, byte[] body, long atNanos) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public Map<String, Object> envelope() {
            return Api.JSON_READER.apply(new String(body, StandardCharsets.UTF_8));
        }

        public String eventId() {
            return (String) envelope().get("id");
        }
    }

    /** What the receiver does with a request. */
    public sealed interface Answer {
        /** Answers with this status (and body). */
        record Status(int code, String body) implements Answer {}

        /** Holds the request this long before answering 200 (longer than the service's timeout: a timeout). */
        record Stall(Duration duration) implements Answer {}

        /** Holds the request until the test releases the latch, then answers 200: a slow receiver. */
        record Hold(CountDownLatch release) implements Answer {}
    }

    public static Answer status(int code) {
        return new Answer.Status(code, "");
    }

    public static Answer stall(Duration duration) {
        return new Answer.Stall(duration);
    }

    private final HttpServer server;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Function<Received, Answer> policy = r -> status(204);

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next requests get these answers, in order; then the policy answers. */
    public WebhookReceiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** How requests past the script are answered. */
    public WebhookReceiver answering(Function<Received, Answer> answer) {
        this.policy = answer;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(Predicate<Received> matching) {
        return received.stream().filter(matching).toList();
    }

    /** Waits (bounded) until at least {@code count} requests matching arrived; returns all that match. */
    public List<Received> await(Predicate<Received> matching, int count, Duration timeout) {
        try {
            return Awaitility.await()
                    .atMost(timeout)
                    .until(() -> received(matching), matches -> matches.size() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + count + " matching webhook requests within " + timeout + ", got "
                    + received(matching).size() + " of " + received.size());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            Received request =
                    new Received(Map.copyOf(headers), exchange.getRequestBody().readAllBytes(), System.nanoTime());
            received.add(request);
            Answer answer = script.poll();
            if (answer == null) {
                answer = policy.apply(request);
            }
            switch (answer) {
                case Answer.Status s -> respond(exchange, s.code(), s.body());
                case Answer.Stall s -> {
                    hold(() -> closed.await(s.duration().toMillis(), TimeUnit.MILLISECONDS));
                    respond(exchange, 200, "");
                }
                case Answer.Hold h -> {
                    hold(() -> h.release().await(1, TimeUnit.MINUTES));
                    respond(exchange, 200, "");
                }
            }
        }
    }

    private interface Wait {
        boolean await() throws InterruptedException;
    }

    private static void hold(Wait wait) {
        try {
            wait.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
