package dev.linkwell.simulator;

import dev.linkwell.protocol.version.WaVersion;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link WaSimulator} behaves. Immutable; start from {@link #defaults()} and change with the
 * {@code with...} methods.
 *
 * @param port              WebSocket port on loopback; 0 picks a free one
 * @param host              interface to bind (loopback by default)
 * @param qrRefCount        how many refs one {@code <pair-device>} carries (6 by default; Baileys and whatsmeow
 *                          take whatever number arrives, so no reference client pins it)
 * @param firstRefTimeout   how long the first ref is valid (60 s; Baileys and whatsmeow show it that long)
 * @param nextRefTimeout    how long each later ref is valid (20 s)
 * @param refGrace          slack allowed after a ref's expiry for network latency (the client starts its
 *                          timers when the iq arrives, a little after the server sent it)
 * @param pairingTimeout    how long a phone waits for the companion's answer when scanning / entering a code
 * @param serverPingInterval how often the server sends {@code <iq xmlns="urn:xmpp:ping" type="get">} to a
 *                          logged-in client; {@link Duration#ZERO} disables
 * @param idleTimeout       a logged-in connection that sends nothing for this long is closed and recorded as
 *                          unresponsive ({@link Duration#ZERO} disables). Baileys pings every 30 s but does not
 *                          answer server pings, so any inbound frame counts as alive.
 * @param offlineFlushTimeout how long login waits for acks of pending (offline) messages before sending
 *                          {@code <ib><offline count=N/></ib>}
 * @param initialPreKeyCount what {@code <count value=N/>} reports for a device that never uploaded prekeys
 * @param postHandshakeDelay how long the server waits after the Noise handshake before its first node
 *                          ({@code <pair-device>} or {@code <success>}). Baileys 6.17.16 starts its transport
 *                          keys with an async HKDF it does not await (Socket/socket.js validateConnection calls
 *                          noise.finishInit() without await); a first node that arrives sooner is lost. The
 *                          real server is at least a network round trip away, so this stands in for it.
 * @param unpairedLifetime  how long a connection may stay open without logging in (handshake, QR or code pairing,
 *                          counted from the WebSocket upgrade) before the server ends it, with {@code <xmlstreamend/>}
 *                          once the handshake is done. 210 s: a commenter on whatsmeow PR #430 reports that WhatsApp
 *                          Web's pairing socket gets {@code xmlstreamend} after "I think 210 seconds"; second-hand,
 *                          not measured by us. It outlives the QR refs (160 s) so a pairing-code link can still
 *                          finish after the last ref expired (whatsapp-rust PR #1163).
 * @param maxAckReplays     how many logins an unacked stanza is replayed at before the server force-closes the
 *                          stream with {@code <stream:error><ack class id/></stream:error>} instead (the server
 *                          queues what was not acked, redelivers it at every reconnect and ends streams that owe
 *                          it an ack: whatsapp-rust PRs #633, #648 and #1101, from production logs)
 * @param minVersion        the oldest WhatsApp Web version served: a ClientPayload whose
 *                          {@code userAgent.appVersion} is older (or missing, read as 0.0.0) gets
 *                          {@code <failure reason="405"/>} (client outdated) right after the handshake, before
 *                          registration or login. Default {@link #DEFAULT_MIN_VERSION}.
 */
public record SimulatorConfig(
        int port,
        String host,
        int qrRefCount,
        Duration firstRefTimeout,
        Duration nextRefTimeout,
        Duration refGrace,
        Duration pairingTimeout,
        Duration serverPingInterval,
        Duration idleTimeout,
        Duration offlineFlushTimeout,
        int initialPreKeyCount,
        Duration postHandshakeDelay,
        Duration unpairedLifetime,
        int maxAckReplays,
        WaVersion minVersion) {

    /**
     * 2.3000.1043857760, the version {@code baileys@7.0.0-rc14} (npm, 2026-08-07) ships: the oldest version a
     * current reference client sends (whatsmeow @33cfac5 ships 2.3000.1045649367). WhatsApp does not publish its
     * minimum; what is known is that it refused 2.3000.1019707846, the version Baileys 6.17.16 reports, with 405 in
     * 2025-07 (Baileys issue #1634). With this default a client at least as new as today's references is served
     * and anything older is refused, so a stale version shows up against the simulator as it would against
     * WhatsApp. Raise it by hand when the references move on.
     */
    public static final WaVersion DEFAULT_MIN_VERSION = new WaVersion(2, 3000, 1043857760);

    public SimulatorConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (qrRefCount < 1) {
            throw new IllegalArgumentException("qrRefCount must be at least 1");
        }
        requirePositive(firstRefTimeout, "firstRefTimeout");
        requirePositive(nextRefTimeout, "nextRefTimeout");
        requireNotNegative(refGrace, "refGrace");
        requirePositive(pairingTimeout, "pairingTimeout");
        requireNotNegative(serverPingInterval, "serverPingInterval");
        requireNotNegative(idleTimeout, "idleTimeout");
        requireNotNegative(offlineFlushTimeout, "offlineFlushTimeout");
        requireNotNegative(postHandshakeDelay, "postHandshakeDelay");
        requirePositive(unpairedLifetime, "unpairedLifetime");
        Objects.requireNonNull(minVersion, "minVersion");
        if (initialPreKeyCount < 0) {
            throw new IllegalArgumentException("initialPreKeyCount must not be negative");
        }
        if (maxAckReplays < 0) {
            throw new IllegalArgumentException("maxAckReplays must not be negative");
        }
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(
                0,
                "127.0.0.1",
                6,
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                Duration.ofSeconds(1),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                Duration.ofSeconds(90),
                Duration.ofSeconds(2),
                0,
                Duration.ofMillis(100),
                Duration.ofSeconds(210),
                3,
                DEFAULT_MIN_VERSION);
    }

    public SimulatorConfig withPort(int port) {
        return with(b -> b.port = port);
    }

    public SimulatorConfig withHost(String host) {
        return with(b -> b.host = host);
    }

    public SimulatorConfig withQrRefCount(int qrRefCount) {
        return with(b -> b.qrRefCount = qrRefCount);
    }

    public SimulatorConfig withQrRefTimeouts(Duration first, Duration next) {
        return with(b -> {
            b.firstRefTimeout = first;
            b.nextRefTimeout = next;
        });
    }

    public SimulatorConfig withRefGrace(Duration refGrace) {
        return with(b -> b.refGrace = refGrace);
    }

    public SimulatorConfig withPairingTimeout(Duration pairingTimeout) {
        return with(b -> b.pairingTimeout = pairingTimeout);
    }

    public SimulatorConfig withServerPing(Duration interval, Duration idleTimeout) {
        return with(b -> {
            b.serverPingInterval = interval;
            b.idleTimeout = idleTimeout;
        });
    }

    public SimulatorConfig withOfflineFlushTimeout(Duration offlineFlushTimeout) {
        return with(b -> b.offlineFlushTimeout = offlineFlushTimeout);
    }

    public SimulatorConfig withInitialPreKeyCount(int count) {
        return with(b -> b.initialPreKeyCount = count);
    }

    public SimulatorConfig withPostHandshakeDelay(Duration delay) {
        return with(b -> b.postHandshakeDelay = delay);
    }

    public SimulatorConfig withUnpairedLifetime(Duration lifetime) {
        return with(b -> b.unpairedLifetime = lifetime);
    }

    public SimulatorConfig withMaxAckReplays(int replays) {
        return with(b -> b.maxAckReplays = replays);
    }

    /** The oldest client version this simulator serves; older ClientPayloads get {@code <failure reason="405"/>}. */
    public SimulatorConfig withMinVersion(WaVersion minVersion) {
        return with(b -> b.minVersion = minVersion);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    /** Copies this config, applies {@code change} to the copy's fields and validates the result. */
    private SimulatorConfig with(Consumer<Fields> change) {
        Fields b = new Fields(this);
        change.accept(b);
        return b.build();
    }

    /** The mutable fields of one copy, only inside {@link #with}. */
    private static final class Fields {
        int port;
        String host;
        int qrRefCount;
        Duration firstRefTimeout;
        Duration nextRefTimeout;
        Duration refGrace;
        Duration pairingTimeout;
        Duration serverPingInterval;
        Duration idleTimeout;
        Duration offlineFlushTimeout;
        int initialPreKeyCount;
        Duration postHandshakeDelay;
        Duration unpairedLifetime;
        int maxAckReplays;
        WaVersion minVersion;

        Fields(SimulatorConfig c) {
            port = c.port;
            host = c.host;
            qrRefCount = c.qrRefCount;
            firstRefTimeout = c.firstRefTimeout;
            nextRefTimeout = c.nextRefTimeout;
            refGrace = c.refGrace;
            pairingTimeout = c.pairingTimeout;
            serverPingInterval = c.serverPingInterval;
            idleTimeout = c.idleTimeout;
            offlineFlushTimeout = c.offlineFlushTimeout;
            initialPreKeyCount = c.initialPreKeyCount;
            postHandshakeDelay = c.postHandshakeDelay;
            unpairedLifetime = c.unpairedLifetime;
            maxAckReplays = c.maxAckReplays;
            minVersion = c.minVersion;
        }

        SimulatorConfig build() {
            return new SimulatorConfig(
                    port,
                    host,
                    qrRefCount,
                    firstRefTimeout,
                    nextRefTimeout,
                    refGrace,
                    pairingTimeout,
                    serverPingInterval,
                    idleTimeout,
                    offlineFlushTimeout,
                    initialPreKeyCount,
                    postHandshakeDelay,
                    unpairedLifetime,
                    maxAckReplays,
                    minVersion);
        }
    }
}
