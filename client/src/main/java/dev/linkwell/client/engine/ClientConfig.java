package dev.linkwell.client.engine;

import dev.linkwell.client.version.WaVersionResolver;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.pair.CompanionPlatform;
import dev.linkwell.protocol.version.WaVersion;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the native engine, shared by all its sessions. Immutable.
 *
 * @param url                 the WebSocket endpoint (Baileys' {@code waWebSocketUrl})
 * @param origin              the {@code Origin} header sent with the upgrade request
 * @param trustAnchor         the 32-byte Curve25519 public key that must sign the server's intermediate
 *                            certificate; there is deliberately no way to switch the check off
 * @param connectTimeout      bound on the WebSocket upgrade and on the Noise handshake
 * @param keepaliveInterval   how often the engine sends {@code <iq xmlns="w:p" type="get"><ping/></iq>}
 * @param deadLinkTimeout     no frame at all from the server for this long means the link is dead
 * @param iqTimeout           how long the engine waits for the answer to one of its own iqs, and for the server's
 *                            ack of a message it sent
 * @param qrFirstTimeout      lifetime of the first QR ref (60 s in Baileys, socket.js genPairQR)
 * @param qrNextTimeout       lifetime of each later QR ref (20 s in Baileys)
 * @param version             WhatsApp Web version reported in the ClientPayload
 * @param osName              DeviceProps.os, the name the phone shows in its linked-devices list (any text)
 * @param browser             browser name; maps to DeviceProps.PlatformType and the QR's client type id
 * @param pairingDisplay      companion_platform_display of the pairing-code flow: {@code "<Browser> (<OS>)"}
 *                            with a common browser and OS, which the server checks (see {@link CompanionPlatform})
 * @param minPreKeys          upload more one-time prekeys when the server holds fewer than this
 * @param preKeyBatch         how many one-time prekeys a later upload carries
 * @param initialPreKeys      how many one-time prekeys the first upload carries (server holds none)
 */
public record ClientConfig(
        URI url,
        String origin,
        byte[] trustAnchor,
        Duration connectTimeout,
        Duration keepaliveInterval,
        Duration deadLinkTimeout,
        Duration iqTimeout,
        Duration qrFirstTimeout,
        Duration qrNextTimeout,
        List<Integer> version,
        String osName,
        String browser,
        String pairingDisplay,
        int minPreKeys,
        int preKeyBatch,
        int initialPreKeys) {

    /** {@code wss://web.whatsapp.com/ws/chat} (Baileys Defaults, whatsmeow socket.URL). */
    public static final URI DEFAULT_URL = URI.create("wss://web.whatsapp.com/ws/chat");
    /** {@code https://web.whatsapp.com} (Baileys DEFAULT_ORIGIN, whatsmeow socket.Origin). */
    public static final String DEFAULT_ORIGIN = "https://web.whatsapp.com";
    /**
     * The built-in WhatsApp Web version ({@link WaVersionResolver#BUILT_IN}, whatsmeow's at 33cfac5). The service
     * normally sets the version {@link WaVersionResolver} finds; Baileys 6.17.16's 2.3000.1019707846, used here
     * before, is refused with 405 (Baileys issue #1634).
     */
    public static final List<Integer> DEFAULT_VERSION = WaVersionResolver.BUILT_IN.parts();

    public ClientConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(trustAnchor, "trustAnchor");
        if (trustAnchor.length != 32) {
            throw new IllegalArgumentException(
                    "trust anchor must be a 32-byte Curve25519 public key, got " + trustAnchor.length + " bytes");
        }
        trustAnchor = trustAnchor.clone();
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(keepaliveInterval, "keepaliveInterval");
        requirePositive(deadLinkTimeout, "deadLinkTimeout");
        requirePositive(iqTimeout, "iqTimeout");
        requirePositive(qrFirstTimeout, "qrFirstTimeout");
        requirePositive(qrNextTimeout, "qrNextTimeout");
        if (deadLinkTimeout.compareTo(keepaliveInterval) <= 0) {
            throw new IllegalArgumentException("deadLinkTimeout must be longer than keepaliveInterval");
        }
        version = List.copyOf(version);
        if (version.size() != 3) {
            throw new IllegalArgumentException("version needs three parts");
        }
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(browser, "browser");
        String displayProblem =
                CompanionPlatform.problemWithDisplay(pairingDisplay).orElse(null);
        if (displayProblem != null) {
            throw new IllegalArgumentException("pairing display: " + displayProblem
                    + " (WhatsApp refuses the pairing-code request otherwise), e.g. \"Chrome (Linux)\"");
        }
        if (minPreKeys < 1
                || preKeyBatch < minPreKeys
                || preKeyBatch > 812
                || initialPreKeys < preKeyBatch
                || initialPreKeys > 812) {
            throw new IllegalArgumentException("bad prekey counts: need 1 <= min <= batch <= initial <= 812");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }

    /** Production defaults: WhatsApp's endpoint and root key. */
    public static ClientConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public byte[] trustAnchor() {
        return trustAnchor.clone();
    }

    public String versionString() {
        return version.get(0) + "." + version.get(1) + "." + version.get(2);
    }

    /** The web client type id that ends the QR text: the browser's own, else "other web client". */
    public String clientTypeId() {
        return CompanionPlatform.clientTypeId(browser).orElse(CompanionPlatform.OTHER_WEB_CLIENT);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.url = url;
        b.origin = origin;
        b.trustAnchor = trustAnchor.clone();
        b.connectTimeout = connectTimeout;
        b.keepaliveInterval = keepaliveInterval;
        b.deadLinkTimeout = deadLinkTimeout;
        b.iqTimeout = iqTimeout;
        b.qrFirstTimeout = qrFirstTimeout;
        b.qrNextTimeout = qrNextTimeout;
        b.version = version;
        b.osName = osName;
        b.browser = browser;
        b.pairingDisplay = pairingDisplay;
        b.minPreKeys = minPreKeys;
        b.preKeyBatch = preKeyBatch;
        b.initialPreKeys = initialPreKeys;
        return b;
    }

    @Override
    public String toString() {
        return "ClientConfig[url=" + url + ", trustAnchor=" + HexFormat.of().formatHex(trustAnchor) + ", keepalive="
                + keepaliveInterval + ", deadLink=" + deadLinkTimeout + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientConfig c
                && url.equals(c.url)
                && origin.equals(c.origin)
                && java.util.Arrays.equals(trustAnchor, c.trustAnchor)
                && connectTimeout.equals(c.connectTimeout)
                && keepaliveInterval.equals(c.keepaliveInterval)
                && deadLinkTimeout.equals(c.deadLinkTimeout)
                && iqTimeout.equals(c.iqTimeout)
                && qrFirstTimeout.equals(c.qrFirstTimeout)
                && qrNextTimeout.equals(c.qrNextTimeout)
                && version.equals(c.version)
                && osName.equals(c.osName)
                && browser.equals(c.browser)
                && pairingDisplay.equals(c.pairingDisplay)
                && minPreKeys == c.minPreKeys
                && preKeyBatch == c.preKeyBatch
                && initialPreKeys == c.initialPreKeys;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, java.util.Arrays.hashCode(trustAnchor), keepaliveInterval, deadLinkTimeout);
    }

    /** Mutable builder with the production defaults. */
    public static final class Builder {
        private URI url = DEFAULT_URL;
        private String origin = DEFAULT_ORIGIN;
        private byte[] trustAnchor = TrustAnchor.WHATSAPP.rootPublicKey();
        private Duration connectTimeout = Duration.ofSeconds(20);
        // Baileys keepAliveIntervalMs = 30 s and drops after interval + 5 s of silence (socket.js);
        // whatsmeow pings every 20-30 s (keepalive.go). 25 s sits between them.
        private Duration keepaliveInterval = Duration.ofSeconds(25);
        private Duration deadLinkTimeout = Duration.ofSeconds(45);
        private Duration iqTimeout = Duration.ofSeconds(30);
        private Duration qrFirstTimeout = Duration.ofSeconds(60);
        private Duration qrNextTimeout = Duration.ofSeconds(20);
        private List<Integer> version = DEFAULT_VERSION;
        private String osName = "Linkwell";
        private String browser = "Chrome";
        private String pairingDisplay = "Chrome (Linux)";
        // whatsmeow prekeys.go MinPreKeyCount = 5, WantedPreKeyCount = 50, 812 at the first upload;
        // Baileys 7 Defaults MIN_PREKEY_COUNT = 5, INITIAL_PREKEY_COUNT = 812
        private int minPreKeys = 5;
        private int preKeyBatch = 50;
        private int initialPreKeys = 812;

        public Builder url(URI v) {
            url = v;
            return this;
        }

        public Builder origin(String v) {
            origin = v;
            return this;
        }

        public Builder trustAnchor(byte[] v) {
            trustAnchor = v.clone();
            return this;
        }

        public Builder trustAnchorHex(String v) {
            trustAnchor = HexFormat.of().parseHex(v.strip());
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder keepaliveInterval(Duration v) {
            keepaliveInterval = v;
            return this;
        }

        public Builder deadLinkTimeout(Duration v) {
            deadLinkTimeout = v;
            return this;
        }

        public Builder iqTimeout(Duration v) {
            iqTimeout = v;
            return this;
        }

        public Builder qrFirstTimeout(Duration v) {
            qrFirstTimeout = v;
            return this;
        }

        public Builder qrNextTimeout(Duration v) {
            qrNextTimeout = v;
            return this;
        }

        public Builder version(List<Integer> v) {
            version = v;
            return this;
        }

        public Builder version(WaVersion v) {
            version = v.parts();
            return this;
        }

        public Builder osName(String v) {
            osName = v;
            return this;
        }

        public Builder browser(String v) {
            browser = v;
            return this;
        }

        public Builder pairingDisplay(String v) {
            pairingDisplay = v;
            return this;
        }

        public Builder minPreKeys(int v) {
            minPreKeys = v;
            return this;
        }

        public Builder preKeyBatch(int v) {
            preKeyBatch = v;
            return this;
        }

        public Builder initialPreKeys(int v) {
            initialPreKeys = v;
            return this;
        }

        public ClientConfig build() {
            return new ClientConfig(
                    url,
                    origin,
                    trustAnchor,
                    connectTimeout,
                    keepaliveInterval,
                    deadLinkTimeout,
                    iqTimeout,
                    qrFirstTimeout,
                    qrNextTimeout,
                    version,
                    osName,
                    browser,
                    pairingDisplay,
                    minPreKeys,
                    preKeyBatch,
                    initialPreKeys);
        }
    }
}
