package dev.linkwell.client.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.linkwell.protocol.version.WaVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The version resolution against a real HTTP server on loopback, with a clock the test moves. */
class WaVersionResolverTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** What sw.js looks like around the revision (a JSON object inside the script). */
    private static final String SW_JS = "self.__swData=JSON.parse(/*BTDS*/\"{\\\"dynamic_data\\\":{\\\"SiteData\\\":"
            + "{\\\"server_revision\\\":1045700000,\\\"client_revision\\\":1046123456,\\\"push_phase\\\":\\\"C3\\\"}}}\");"
            + "importScripts(\"https://static.whatsapp.net/rsrc.php/v4/yX/r/abc.js\");";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final MemoryCache cache = new MemoryCache();
    private final List<HttpExchangeRecord> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Reply> reply = new AtomicReference<>(new Reply(200, SW_JS));
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private URI url;

    record Reply(int status, String body) {}

    record HttpExchangeRecord(String path, String userAgent) {}

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/sw.js", this::serve);
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sw.js");
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.add(new HttpExchangeRecord(
                exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("User-Agent")));
        Reply r = reply.get();
        if (r == null) { // a server that takes the request and never answers
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(r.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private WaVersionResolver resolver() {
        return new WaVersionResolver(url, TIMEOUT, cache, clock);
    }

    @Test
    void fetchesTheClientRevisionFromTheServiceWorkerAndCachesIt() {
        ResolvedVersion v = resolver().resolve(Optional.empty());

        assertThat(v.version()).isEqualTo(WaVersion.parse("2.3000.1046123456"));
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.FETCHED);
        assertThat(v.detail()).isEqualTo("fetched from " + url);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).userAgent()).startsWith("Mozilla/5.0");
        assertThat(cache.text).contains("version=2.3000.1046123456", "fetched-at=2026-11-30T10:00:00Z", "url=" + url);
    }

    @Test
    void usesTheCacheForADayThenFetchesAgain() {
        resolver().resolve(Optional.empty());
        reply.set(new Reply(200, "{\"client_revision\":1047000000,"));

        clock.advance(Duration.ofHours(24).minusSeconds(1));
        ResolvedVersion cached = resolver().resolve(Optional.empty());
        assertThat(cached.source()).isEqualTo(ResolvedVersion.Source.CACHE);
        assertThat(cached.version()).isEqualTo(WaVersion.parse("2.3000.1046123456"));
        assertThat(cached.detail()).contains("2026-11-30T10:00:00Z", url.toString());
        assertThat(requests).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        ResolvedVersion refetched = resolver().resolve(Optional.empty());
        assertThat(refetched.source()).isEqualTo(ResolvedVersion.Source.FETCHED);
        assertThat(refetched.version()).isEqualTo(WaVersion.parse("2.3000.1047000000"));
        assertThat(requests).hasSize(2);
        assertThat(cache.text).contains("version=2.3000.1047000000", "fetched-at=2026-12-01T10:00:00Z");
    }

    @Test
    void aCacheFromAnotherUrlOrFromTheFutureIsNotUsed() {
        resolver().resolve(Optional.empty());
        WaVersionResolver elsewhere = new WaVersionResolver(URI.create(url + "?other"), TIMEOUT, cache, clock);
        assertThat(elsewhere.resolve(Optional.empty()).source()).isEqualTo(ResolvedVersion.Source.FETCHED);
        assertThat(requests).hasSize(2);

        clock.advance(Duration.ofHours(-2)); // the clock went back: the cached time is in the future
        assertThat(resolver().resolve(Optional.empty()).source()).isEqualTo(ResolvedVersion.Source.FETCHED);
        assertThat(requests).hasSize(3);
    }

    @Test
    void aConfiguredVersionWinsAndNothingIsFetchedOrCached() {
        WaVersion configured = WaVersion.parse("2.3000.1040000000");
        ResolvedVersion v = resolver().resolve(Optional.of(configured));
        assertThat(v.version()).isEqualTo(configured);
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.CONFIGURED);
        assertThat(requests).isEmpty();
        assertThat(cache.text).isNull();
    }

    @Test
    void aServerErrorFallsBackToTheBuiltInVersionAndSaysWhy() {
        reply.set(new Reply(500, "oops"));
        ResolvedVersion v = resolver().resolve(Optional.empty());
        assertThat(v.version()).isEqualTo(WaVersionResolver.BUILT_IN);
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.BUILT_IN);
        assertThat(v.detail()).isEqualTo("built-in; fetching " + url + " failed: HTTP 500");
        assertThat(cache.text).isNull();
    }

    @Test
    void anAnswerWithoutARevisionFallsBack() {
        reply.set(new Reply(200, "<html>Please update your browser</html>"));
        ResolvedVersion v = resolver().resolve(Optional.empty());
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.BUILT_IN);
        assertThat(v.detail()).endsWith("names no client_revision");
    }

    @Test
    void aServerThatDoesNotAnswerFallsBackWithinTheTimeout() {
        reply.set(null);
        ResolvedVersion v = resolver().resolve(Optional.empty());
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.BUILT_IN);
        assertThat(v.detail()).contains("within " + TIMEOUT.toMillis() + " ms");
        assertThat(requests).hasSize(1);
    }

    @Test
    void nothingListeningFallsBack() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/sw.js");
        ResolvedVersion v = new WaVersionResolver(closed, TIMEOUT, cache, clock).resolve(Optional.empty());
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.BUILT_IN);
        assertThat(v.detail()).startsWith("built-in; fetching " + closed + " failed: ");
    }

    @Test
    void anOversizedAnswerIsNotRead() {
        reply.set(new Reply(200, "x".repeat(WaVersionResolver.MAX_BODY + 1) + "\"client_revision\":1046123456,"));
        ResolvedVersion v = resolver().resolve(Optional.empty());
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.BUILT_IN);
        assertThat(v.detail()).contains("larger than");
    }

    @Test
    void aDamagedCacheIsIgnoredAndReplaced() {
        for (String damaged : List.of(
                "garbage",
                "version=2.3000\nfetched-at=2026-11-30T09:00:00Z\nurl=" + url,
                "version=2.3000.1\nfetched-at=yesterday\nurl=" + url,
                "version=2.3000.1\nurl=" + url)) {
            cache.text = damaged;
            ResolvedVersion v = resolver().resolve(Optional.empty());
            assertThat(v.source()).as(damaged).isEqualTo(ResolvedVersion.Source.FETCHED);
            assertThat(cache.text).contains("version=2.3000.1046123456");
        }
        cache.failReads = true;
        assertThat(resolver().resolve(Optional.empty()).source()).isEqualTo(ResolvedVersion.Source.FETCHED);
    }

    @Test
    void aCacheThatCannotBeWrittenDoesNotStopTheFetchedVersion() {
        cache.failWrites = true;
        ResolvedVersion v = resolver().resolve(Optional.empty());
        assertThat(v.source()).isEqualTo(ResolvedVersion.Source.FETCHED);
        assertThat(v.version()).isEqualTo(WaVersion.parse("2.3000.1046123456"));
    }

    @Test
    void readsTheRevisionInTheFormsTheReferencesMatch() throws Exception {
        assertThat(WaVersionResolver.parseServiceWorker("{\"client_revision\":1045649367,\"x\":1}"))
                .isEqualTo(WaVersion.parse("2.3000.1045649367"));
        assertThat(WaVersionResolver.parseServiceWorker("\\\"client_revision\\\": 1045649368,"))
                .isEqualTo(WaVersion.parse("2.3000.1045649368"));
        assertThatThrownBy(() -> WaVersionResolver.parseServiceWorker("\"client_revision\":9999999999"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> WaVersionResolver.parseServiceWorker("\"server_revision\":1"))
                .hasMessageContaining("names no client_revision");
    }

    @Test
    void theBuiltInVersionIsNoOlderThanWhatsmeows() {
        // whatsmeow @33cfac5 store/clientpayload.go: waVersion = WAVersionContainer{2, 3000, 1045649367}
        assertThat(WaVersionResolver.BUILT_IN.isOlderThan(WaVersion.parse("2.3000.1045649367")))
                .isFalse();
        ResolvedVersion demo = WaVersionResolver.builtIn("demo mode");
        assertThat(demo.describe()).isEqualTo(WaVersionResolver.BUILT_IN + " (built-in; demo mode)");
        assertThat(demo.source().wireName()).isEqualTo("built-in");
    }

    static final class MutableClock implements InstantSource {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class MemoryCache implements VersionCache {
        volatile String text;
        volatile boolean failReads;
        volatile boolean failWrites;

        @Override
        public Optional<String> read() {
            if (failReads) {
                throw new java.io.UncheckedIOException(new IOException("disk on fire"));
            }
            return Optional.ofNullable(text);
        }

        @Override
        public void write(String t) {
            if (failWrites) {
                throw new java.io.UncheckedIOException(new IOException("read-only file system"));
            }
            text = t;
        }
    }
}
