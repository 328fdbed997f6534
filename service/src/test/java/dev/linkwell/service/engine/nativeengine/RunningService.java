package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.LinkwellApplication;
import dev.linkwell.service.support.Api;
import dev.linkwell.simulator.WaSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service on a random port with the native engine, in demo mode (embedded simulator) unless
 * the caller overrides it, on a given storage root, with timings shortened so tests end quickly. A new
 * instance on the same root is a restart of the service.
 */
final class RunningService implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    final ConfigurableApplicationContext context;
    final Api api;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.api = new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    static Map<String, Object> defaults(Path root) {
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

    static RunningService start(Path root) {
        return start(defaults(root));
    }

    static RunningService start(Map<String, Object> properties) {
        // as command-line arguments: they must beat application.yml's ${ENV:default} values
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(LinkwellApplication.class).run(args);
        return new RunningService(ctx);
    }

    WaSimulator simulator() {
        return context.getBean(WaSimulator.class);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    Map<String, Object> session(String id) {
        HttpResponse<String> r = api.get("/sessions/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Api.json(r);
    }

    /** Polls {@code GET /sessions/{id}} until it matches (bounded). */
    Map<String, Object> awaitSession(String id, Predicate<Map<String, Object>> condition, String what) {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        try {
            return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).until(() -> {
                HttpResponse<String> r = api.get("/sessions/" + id);
                if (r.statusCode() != 200) {
                    return null;
                }
                last.set(Api.json(r));
                return last.get();
            }, s -> s != null && condition.test(s));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("session " + id + " never became " + what + "; last " + last.get());
        }
    }

    Map<String, Object> awaitStatus(String id, String status) {
        return awaitSession(id, s -> status.equals(s.get("status")), status);
    }

    Map<String, Object> awaitQr(String id) {
        return awaitSession(id, s -> s.get("qr") != null, "showing a QR");
    }

    /** Waits (at most {@link #WAIT}) while {@code holds}; the caller's assertion then says what is wrong if it still does. */
    static void awaitWhile(Callable<Boolean> holds) {
        try {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> !holds.call());
        } catch (ConditionTimeoutException e) {
            // the assertion after the wait reports it
        }
    }

    /**
     * Watches for {@code duration} that {@code holds} stays true (something must not happen, such as a reconnect),
     * returning early when it turns false; the caller's assertion then reports it.
     */
    static void watchFor(Duration duration, Callable<Boolean> holds) {
        try {
            Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).atMost(duration)
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
