package dev.linkwell.service.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.support.TestStorage;
import dev.linkwell.service.support.WebhookReceiver;
import dev.linkwell.service.support.WebhookReceiver.Received;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The outbox promise under a real crash: a child JVM runs the service and relays messages while a slow,
 * sometimes failing receiver takes them; the child is killed with SIGKILL mid-stream, and a second
 * child on the same storage root finishes the job. Every event the bus accepted before the kill
 * arrives; an event that arrives twice has the same event id and the same bytes; per session, events
 * first arrive in order.
 */
class WebhookCrashTest {

    static final String SECRET = "crash-test-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(10);

    @Test
    void everyAcceptedEventArrivesAfterASigkillAndDuplicatesKeepTheirEventId() throws Exception {
        Path root = TestStorage.tempRoot("linkwell-webhook-crash");
        try (WebhookReceiver receiver = new WebhookReceiver()
                .answering(r -> ThreadLocalRandom.current().nextInt(10) == 0
                        ? WebhookReceiver.status(500)
                        : WebhookReceiver.stall(Duration.ofMillis(15)))) {
            long confirmed;
            int arrivedBeforeKill;
            long killAfter = ThreadLocalRandom.current().nextLong(150, 400);
            Child producer = Child.start(root, receiver.url(), "produce");
            try {
                producer.ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Awaitility.await().atMost(WAIT).pollInterval(POLL).until(() -> {
                    assertThat(producer.process.isAlive()).as("producer alive").isTrue();
                    return producer.accepted.get() >= killAfter;
                });
                producer.process.toHandle().destroyForcibly(); // SIGKILL, in the middle of deliveries
                assertThat(producer.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                producer.output.get(10, TimeUnit.SECONDS); // every line printed before the kill
                confirmed = producer.accepted.get();
                arrivedBeforeKill = messages(receiver.received()).size();
            } finally {
                producer.process.destroyForcibly();
            }
            assertThat(confirmed).as("the producer got going").isGreaterThanOrEqualTo(killAfter);
            assertThat(arrivedBeforeKill)
                    .as("the kill came while deliveries were still under way")
                    .isLessThan((int) confirmed);

            Child drainer = Child.start(root, receiver.url(), "drain");
            try {
                drainer.ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                receiver.await(r -> true, 1, WAIT);
                // Not a count: an event accepted in the instant before the kill but never printed may arrive too.
                try {
                    Awaitility.await()
                            .atMost(WAIT)
                            .pollInterval(POLL)
                            .until(() -> missing(messages(receiver.received()), confirmed)
                                    .isEmpty());
                } catch (ConditionTimeoutException e) {
                    // the assertions below name what is missing
                }
            } finally {
                drainer.process.destroy();
                drainer.process.waitFor(30, TimeUnit.SECONDS);
                drainer.process.destroyForcibly();
            }

            List<Received> all = receiver.received();
            Map<Long, List<Received>> byN = messages(all);
            assertThat(missing(byN, confirmed))
                    .as("messages accepted before the kill that never arrived")
                    .isEmpty();
            Set<String> ids = new HashSet<>();
            for (Map.Entry<Long, List<Received>> copies : byN.entrySet()) {
                Received first = copies.getValue().getFirst();
                for (Received copy : copies.getValue()) {
                    assertThat(copy.eventId())
                            .as("every copy of message %d has one event id", copies.getKey())
                            .isEqualTo(first.eventId());
                    assertThat(copy.header("X-Linkwell-Event-Id")).isEqualTo(first.eventId());
                    assertThat(copy.body()).isEqualTo(first.body());
                }
                assertThat(ids.add(first.eventId()))
                        .as("message %d has an id of its own", copies.getKey())
                        .isTrue();
            }
            Map<String, List<Long>> firstArrivals = new HashMap<>();
            Set<Long> seen = new HashSet<>();
            for (Received r : all) {
                Long n = n(r);
                if (n != null && seen.add(n)) {
                    firstArrivals
                            .computeIfAbsent((String) r.envelope().get("sessionId"), s -> new ArrayList<>())
                            .add(n);
                }
            }
            firstArrivals.forEach((session, ns) ->
                    assertThat(ns).as("first arrivals of %s", session).isSorted());
            long duplicates =
                    byN.values().stream().mapToLong(copies -> copies.size() - 1).sum();
            System.out.printf(
                    "accepted before the kill: %d, arrived before the kill: %d, copies after both runs: %d, duplicates: %d%n",
                    confirmed,
                    arrivedBeforeKill,
                    byN.values().stream().mapToLong(List::size).sum(),
                    duplicates);
        }
    }

    /** Received message events by their {@code n}, in arrival order. */
    private static Map<Long, List<Received>> messages(List<Received> received) {
        Map<Long, List<Received>> byN = new HashMap<>();
        for (Received r : received) {
            Long n = n(r);
            if (n != null) {
                byN.computeIfAbsent(n, k -> new ArrayList<>()).add(r);
            }
        }
        return byN;
    }

    private static List<Long> missing(Map<Long, List<Received>> byN, long confirmed) {
        List<Long> missing = new ArrayList<>();
        for (long n = 1; n <= confirmed; n++) {
            if (!byN.containsKey(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    private static Long n(Received r) {
        Map<String, Object> envelope = r.envelope();
        if (!"session.message".equals(envelope.get("type"))) {
            return null;
        }
        return ((Number) ((Map<?, ?>) envelope.get("data")).get("n")).longValue();
    }

    /** A child JVM running {@link CrashingService}, its output read as it comes. */
    private record Child(
            Process process, CompletableFuture<Void> ready, AtomicLong accepted, CompletableFuture<Void> output) {

        static Child start(Path root, String url, String mode) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(
                            java,
                            "--enable-native-access=ALL-UNNAMED",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashingService.class.getName(),
                            root.toString(),
                            url,
                            mode)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            CompletableFuture<Void> output = new CompletableFuture<>();
            AtomicLong accepted = new AtomicLong();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.equals(CrashingService.READY)) {
                            ready.complete(null);
                        } else if (line.startsWith(CrashingService.ACCEPTED)) {
                            accepted.set(Long.parseLong(line.substring(CrashingService.ACCEPTED.length())
                                    .strip()));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    ready.completeExceptionally(e);
                } finally {
                    ready.completeExceptionally(new AssertionError("the child ended before it was ready"));
                    output.complete(null);
                }
            });
            return new Child(process, ready, accepted, output);
        }
    }
}
