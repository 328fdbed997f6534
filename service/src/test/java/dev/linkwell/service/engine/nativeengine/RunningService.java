package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.LinkwellApplication;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.simulator.LinkedDevice;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.WaSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service on a random port with the native engine, in demo mode (embedded simulator) unless
 * the caller overrides it, on a given storage root, with timings shortened so tests end quickly. A new
 * instance on the same root is a restart of the service. Public for the other engines' end-to-end tests.
 */
public final class RunningService implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);

    public final ConfigurableApplicationContext context;
    public final Api api;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.api = new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    public static Map<String, Object> defaults(Path root) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("linkwell.storage.root", root.toString());
        p.put("linkwell.simulator.mode", "embedded");
        p.put("linkwell.simulator.qr-ref-count", "3");
        p.put("linkwell.simulator.first-ref-timeout", "4s");
        p.put("linkwell.simulator.next-ref-timeout", "1s");
        p.put("linkwell.native.qr-first-timeout", "4s");
        p.put("linkwell.native.qr-next-timeout", "1s");
        p.put("linkwell.native.keepalive-interval", "500ms");
        p.put("linkwell.native.dead-link-timeout", "2s");
        p.put("linkwell.native.connect-timeout", "5s");
        p.put("linkwell.sessions.start-wait", "5s");
        p.put("linkwell.sessions.backoff-base", "100ms");
        p.put("linkwell.sessions.backoff-cap", "500ms");
        p.put("linkwell.sessions.default-provider", "native");
        return p;
    }

    public static RunningService start(Path root) {
        return start(defaults(root));
    }

    public static RunningService start(Map<String, Object> properties) {
        // as command-line arguments: they must beat application.yml's ${ENV:default} values
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(LinkwellApplication.class).run(args);
        return new RunningService(ctx);
    }

    public WaSimulator simulator() {
        return context.getBean(WaSimulator.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** PUT, scan the QR with a new phone, wait for ready; returns the device JID. */
    String pairByQr(String id, String number) {
        HttpResponse<String> put = api.put("/sessions/" + id);
        assertThat(put.statusCode()).as(put.body()).isBetween(200, 299);
        Map<String, Object> view = Api.json(put);
        String qr =
                (String) (view.get("qr") != null ? view.get("qr") : awaitQr(id).get("qr"));
        assertThat(qr).startsWith("https://wa.me/settings/linked_devices#");
        assertThat(qr.split(",")).hasSize(5);
        Phone phone = simulator().addPhone(number);
        LinkedDevice device = phone.scan(qr);
        awaitStatus(id, "ready");
        // the first login's work is done (812 prekeys uploaded), so a test's server command does not meet a
        // 40 KB upload in flight: a server closing mid-upload can reset the TCP connection and lose its last frame
        awaitFirstLoginDone(device.jid());
        return device.jid();
    }

    /** The first login uploads 812 prekeys; a server close in the middle of that upload is another test's subject. */
    public void awaitFirstLoginDone(String jid) {
        awaitWhile(() -> simulator().preKeys(jid).size() < 812);
        assertThat(simulator().preKeys(jid)).hasSizeGreaterThanOrEqualTo(812);
    }

    public Map<String, Object> session(String id) {
        HttpResponse<String> r = api.get("/sessions/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Api.json(r);
    }

    /** Polls {@code GET /sessions/{id}} until it matches (bounded). */
    public Map<String, Object> awaitSession(String id, Predicate<Map<String, Object>> condition, String what) {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        try {
            return Awaitility.await()
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(25))
                    .until(
                            () -> {
                                HttpResponse<String> r = api.get("/sessions/" + id);
                                if (r.statusCode() != 200) {
                                    return null;
                                }
                                last.set(Api.json(r));
                                return last.get();
                            },
                            s -> s != null && condition.test(s));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("session " + id + " never became " + what + "; last " + last.get());
        }
    }

    public Map<String, Object> awaitStatus(String id, String status) {
        return awaitSession(id, s -> status.equals(s.get("status")), status);
    }

    public Map<String, Object> awaitQr(String id) {
        return awaitSession(id, s -> s.get("qr") != null, "showing a QR");
    }

    /** Runs {@code count} tasks at once on virtual threads and returns their results in order (each bounded). */
    public static <T> List<T> concurrently(int count, Duration eachWithin, IntFunction<T> task) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> task.apply(n)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(eachWithin.toMillis(), TimeUnit.MILLISECONDS));
            }
            return results;
        }
    }

    /** Polls until the condition holds (bounded by {@link #WAIT}); fails naming what never happened. */
    public static void awaitTrue(String what, BooleanSupplier condition) {
        try {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("never happened within " + WAIT + ": " + what);
        }
    }

    /** Waits (at most {@link #WAIT}) while {@code holds}; the caller's assertion then says what is wrong if it still does. */
    public static void awaitWhile(Callable<Boolean> holds) {
        try {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> !holds.call());
        } catch (ConditionTimeoutException e) {
            // the assertion after the wait reports it
        }
    }

    /**
     * Session {@code id} was refused as outdated (405): closed with reason {@code client_outdated}, a closed event
     * naming the version sent and {@code WA_VERSION}, and no second attempt at the simulator (a 405 is not retried).
     */
    public void assertRefusedAsOutdatedOnce(String id, EventRecorder events) {
        Map<String, Object> view = awaitStatus(id, "closed");
        assertThat(view.get("reason")).isEqualTo("client_outdated");
        EventRecorder.Event closed = events.await(EventType.CLOSED, WAIT);
        assertThat(closed.data()).containsEntry("code", 405);
        assertThat((String) closed.data().get("detail"))
                .contains("2.3000.1045649367")
                .contains("WA_VERSION");
        watchFor(
                Duration.ofMillis(500),
                () -> simulator().events().stream()
                                .filter(e -> e.type().equals("version-refused"))
                                .count()
                        <= 1);
        assertThat(simulator().events())
                .filteredOn(e -> e.type().equals("version-refused"))
                .hasSize(1);
    }

    /**
     * Watches for {@code duration} that {@code holds} stays true (something must not happen, such as a reconnect),
     * returning early when it turns false; the caller's assertion then reports it.
     */
    public static void watchFor(Duration duration, Callable<Boolean> holds) {
        try {
            Awaitility.await()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .atMost(duration)
                    .until(() -> !holds.call());
        } catch (ConditionTimeoutException e) {
            // it held the whole time
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
