package dev.linkwell.service.engine.baileys;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code linkwell.baileys.*}: the Baileys engine's Node host. Where the sockets connect, which root they trust,
 * the version they report and the display they link with are the native engine's settings ({@code WA_URL},
 * {@code WA_TRUST_ANCHOR}, {@code WA_VERSION}, {@code WA_PAIRING_DISPLAY}, or the embedded simulator).
 *
 * @param node               the Node.js 20+ executable (env {@code BAILEYS_NODE}); a name is looked up on the PATH
 * @param hostDir            the folder holding {@code host.js} and its installed {@code node_modules} (env
 *                           {@code BAILEYS_HOST_DIR}); relative paths start at the working folder
 * @param requestTimeout     how long either side waits for the answer to one request over stdio
 * @param maxLineSize        longer lines on the stdio link are logged and dropped, by both sides
 * @param restartBackoffBase the first wait before starting the host again after it died; doubles per crash
 * @param restartBackoffCap  the longest such wait
 * @param connectTimeout     Baileys' {@code connectTimeoutMs}
 * @param keepaliveInterval  Baileys' {@code keepAliveIntervalMs}
 * @param queryTimeout       Baileys' {@code defaultQueryTimeoutMs} (its iqs to the server)
 * @param maxHeap            the host's V8 old-space limit ({@code --max-old-space-size}); unset keeps V8's own, which
 *                           depends on the machine's memory (about 4 GB on a 24 GB machine): every socket's Signal
 *                           caches live in that one heap, so many busy sessions need more (env
 *                           {@code BAILEYS_MAX_HEAP}, e.g. {@code 8GB})
 */
@ConfigurationProperties("linkwell.baileys")
public record BaileysProperties(
        @DefaultValue("node") String node,
        @DefaultValue("engines/baileys") Path hostDir,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("8MB") DataSize maxLineSize,
        @DefaultValue("1s") Duration restartBackoffBase,
        @DefaultValue("30s") Duration restartBackoffCap,
        @DefaultValue("20s") Duration connectTimeout,
        @DefaultValue("30s") Duration keepaliveInterval,
        @DefaultValue("20s") Duration queryTimeout,
        DataSize maxHeap) {

    private static final long MIN_HEAP_MB = 256;
    private static final long MAX_HEAP_MB = 1024 * 1024;

    public BaileysProperties {
        for (Duration d : new Duration[] {
            requestTimeout, restartBackoffBase, restartBackoffCap, connectTimeout, keepaliveInterval, queryTimeout
        }) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("linkwell.baileys durations must be positive, got " + d);
            }
        }
        if (restartBackoffCap.compareTo(restartBackoffBase) < 0) {
            throw new IllegalArgumentException(
                    "linkwell.baileys.restart-backoff-cap must not be below restart-backoff-base");
        }
        if (maxLineSize.toBytes() < 64 * 1024 || maxLineSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "linkwell.baileys.max-line-size must be between 64KB and 2GB, got " + maxLineSize);
        }
        if (maxHeap != null && (maxHeap.toMegabytes() < MIN_HEAP_MB || maxHeap.toMegabytes() > MAX_HEAP_MB)) {
            throw new IllegalArgumentException("linkwell.baileys.max-heap (BAILEYS_MAX_HEAP) must be between "
                    + MIN_HEAP_MB + "MB and " + MAX_HEAP_MB / 1024 + "GB, got " + maxHeap.toMegabytes() + "MB");
        }
    }

    /** The Node options that set the host's heap limit; none when {@link #maxHeap} is unset. */
    List<String> nodeOptions() {
        return maxHeap == null ? List.of() : List.of("--max-old-space-size=" + maxHeap.toMegabytes());
    }

    int maxLineBytes() {
        return (int) maxLineSize.toBytes();
    }
}
