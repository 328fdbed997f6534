package dev.linkwell.client.version;

import dev.linkwell.protocol.version.WaVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the WhatsApp Web version to report. In order: a configured version wins and nothing is fetched; a
 * version fetched less than {@link #CACHE_LIFETIME} ago (from the same URL) is read from the cache; else the
 * service worker {@code https://web.whatsapp.com/sw.js} is fetched within a short timeout and its
 * {@code client_revision} N gives {@code 2.3000.N} (Baileys 7.0.0-rc14 Utils/generics.js
 * {@code fetchLatestWaWebVersion}; whatsapp-rust fetches the same file and keeps it 24 h), which is cached;
 * when that fails the {@link #BUILT_IN} version is used and the reason is kept in
 * {@link ResolvedVersion#detail()}. A cache that cannot be read is ignored with a warning.
 */
public final class WaVersionResolver {

    /** whatsmeow's version at commit 33cfac5 (2026-08-21), store/clientpayload.go {@code waVersion}. */
    public static final WaVersion BUILT_IN = new WaVersion(2, 3000, 1045649367);
    /** WhatsApp Web's service worker, which names the current {@code client_revision}. */
    public static final URI DEFAULT_URL = URI.create("https://web.whatsapp.com/sw.js");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration CACHE_LIFETIME = Duration.ofHours(24);
    /** sw.js is a few hundred KiB; anything far larger is not it. */
    static final int MAX_BODY = 8 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(WaVersionResolver.class);
    // "client_revision":1045649367, also inside an escaped JSON string (the pattern Baileys matches)
    private static final Pattern CLIENT_REVISION = Pattern.compile("\\\\?\"client_revision\\\\?\"\\s*:\\s*(\\d{1,10})");
    // Baileys sends these two headers "to bypass anti-bot detection" (fetchLatestWaWebVersion)
    private static final String USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private final URI url;
    private final Duration timeout;
    private final VersionCache cache;
    private final InstantSource clock;

    public WaVersionResolver(URI url, Duration timeout, VersionCache cache, InstantSource clock) {
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** The built-in version, for when nothing may be fetched; {@code why} says so. */
    public static ResolvedVersion builtIn(String why) {
        return new ResolvedVersion(BUILT_IN, ResolvedVersion.Source.BUILT_IN, "built-in; " + why);
    }

    /** The configured version if there is one, else the cached, fetched or built-in version. */
    public ResolvedVersion resolve(Optional<WaVersion> configured) {
        if (configured.isPresent()) {
            return new ResolvedVersion(configured.get(), ResolvedVersion.Source.CONFIGURED, "configured");
        }
        Instant now = clock.instant();
        Optional<Cached> cached = readCache();
        if (cached.isPresent() && cached.get().isFresh(now, url)) {
            Cached c = cached.get();
            return new ResolvedVersion(
                    c.version(),
                    ResolvedVersion.Source.CACHE,
                    "cached; fetched from " + c.url() + " at " + c.fetchedAt());
        }
        try {
            WaVersion fetched = fetch();
            writeCache(new Cached(fetched, now, url));
            return new ResolvedVersion(fetched, ResolvedVersion.Source.FETCHED, "fetched from " + url);
        } catch (FetchFailed e) {
            log.warn("Cannot read the current WhatsApp Web version from {}: {}", url, e.getMessage());
            return builtIn("fetching " + url + " failed: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- fetch

    private WaVersion fetch() throws FetchFailed {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .header("Sec-Fetch-Site", "none")
                .GET()
                .build();
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, info -> new CappedBody());
        try {
            // bounds the whole exchange, body included (the request timeout stops at the headers)
            HttpResponse<byte[]> response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                throw new FetchFailed("HTTP " + response.statusCode());
            }
            return parseServiceWorker(new String(response.body(), StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            throw new FetchFailed("no complete answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new FetchFailed("no answer within " + timeout.toMillis() + " ms");
            }
            throw new FetchFailed(describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed("interrupted");
        } finally {
            answer.cancel(true);
            http.shutdownNow();
        }
    }

    /** The innermost cause, which names what really failed ({@code UnresolvedAddressException}, {@code Connection refused}). */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** {@code 2.3000.N} from the {@code client_revision} N that the service worker names. */
    static WaVersion parseServiceWorker(String body) throws FetchFailed {
        Matcher m = CLIENT_REVISION.matcher(body);
        if (!m.find()) {
            throw new FetchFailed("the answer (" + body.length() + " characters) names no client_revision");
        }
        long revision = Long.parseLong(m.group(1));
        if (revision > Integer.MAX_VALUE) {
            throw new FetchFailed("client_revision " + revision + " is out of range");
        }
        return new WaVersion(2, 3000, (int) revision);
    }

    static final class FetchFailed extends Exception {
        FetchFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Collects the body up to {@link #MAX_BODY} bytes; more ends the download with an error. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                if (body.isDone()) {
                    return;
                }
                if (bytes.size() + (long) item.remaining() > MAX_BODY) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer is larger than " + MAX_BODY + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    // ---------------------------------------------------------------- cache

    /** One cached fetch; the text form is {@code key=value} lines. */
    record Cached(WaVersion version, Instant fetchedAt, URI url) {

        boolean isFresh(Instant now, URI wanted) {
            Duration age = Duration.between(fetchedAt, now);
            return url.equals(wanted) && !age.isNegative() && age.compareTo(CACHE_LIFETIME) < 0;
        }

        String toText() {
            return "# WhatsApp Web version fetched by Linkwell; deleting this file makes the next start fetch again\n"
                    + "version=" + version + "\n"
                    + "fetched-at=" + fetchedAt + "\n"
                    + "url=" + url + "\n";
        }

        static Cached parse(String text) {
            Map<String, String> fields = new HashMap<>();
            for (String line : text.split("\n", -1)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("line '" + l + "' is not key=value");
                }
                fields.put(l.substring(0, eq), l.substring(eq + 1));
            }
            for (String key : List.of("version", "fetched-at", "url")) {
                if (!fields.containsKey(key)) {
                    throw new IllegalArgumentException("no " + key);
                }
            }
            try {
                return new Cached(
                        WaVersion.parse(fields.get("version")),
                        Instant.parse(fields.get("fetched-at")),
                        new URI(fields.get("url")));
            } catch (DateTimeParseException | java.net.URISyntaxException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }

    private Optional<Cached> readCache() {
        Optional<String> text;
        try {
            text = cache.read();
        } catch (RuntimeException e) {
            log.warn("Ignoring the WhatsApp Web version cache: cannot read it ({})", e.getMessage());
            return Optional.empty();
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Cached.parse(text.get()));
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring the WhatsApp Web version cache: it is damaged ({})", e.getMessage());
            return Optional.empty();
        }
    }

    private void writeCache(Cached c) {
        try {
            cache.write(c.toText());
        } catch (RuntimeException e) {
            log.warn("Cannot cache the WhatsApp Web version ({}); the next start fetches it again", e.getMessage());
        }
    }
}
