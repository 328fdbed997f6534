package dev.linkwell.service.engine.nativeengine;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.native.*}: settings of the native WhatsApp Web engine.
 *
 * @param url               WebSocket endpoint (env {@code WA_URL})
 * @param trustAnchor       hex of the 32-byte root key that must sign the server's certificate chain
 *                          (env {@code WA_TRUST_ANCHOR}); unset or empty means WhatsApp's root. No setting skips the check.
 * @param keepaliveInterval how often the engine pings the server
 * @param deadLinkTimeout   silence from the server longer than this ends the connection (then the
 *                          service reconnects with backoff)
 * @param connectTimeout    bound on WebSocket upgrade plus Noise handshake
 * @param iqTimeout         bound on the answer to one of the engine's own requests
 * @param qrFirstTimeout    lifetime of the first QR of an offer (60 s, as WhatsApp Web)
 * @param qrNextTimeout     lifetime of each later QR (20 s)
 * @param pairingDisplay    what the phone is told the companion is when linking by code (env
 *                          {@code WA_PAIRING_DISPLAY}): {@code "<Browser> (<OS>)"} with a common browser and OS,
 *                          which WhatsApp checks; checked at start
 * @param version           WhatsApp Web version to report, such as {@code 2.3000.1045649367} (env {@code WA_VERSION});
 *                          unset or empty: resolved at start (cache, then {@code versionUrl}, then built-in)
 * @param versionUrl        WhatsApp Web's service worker, read for its {@code client_revision} (env {@code WA_VERSION_URL})
 * @param versionFetchTimeout bound on fetching {@code versionUrl}
 */
@ConfigurationProperties("linkwell.native")
public record NativeEngineProperties(
        @DefaultValue("wss://web.whatsapp.com/ws/chat") URI url,
        String trustAnchor,
        @DefaultValue("25s") Duration keepaliveInterval,
        @DefaultValue("45s") Duration deadLinkTimeout,
        @DefaultValue("20s") Duration connectTimeout,
        @DefaultValue("30s") Duration iqTimeout,
        @DefaultValue("60s") Duration qrFirstTimeout,
        @DefaultValue("20s") Duration qrNextTimeout,
        @DefaultValue("Chrome (Linux)") String pairingDisplay,
        String version,
        @DefaultValue("https://web.whatsapp.com/sw.js") String versionUrl,
        @DefaultValue("5s") Duration versionFetchTimeout) {}
