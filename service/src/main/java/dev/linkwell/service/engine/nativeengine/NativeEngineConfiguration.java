package dev.linkwell.service.engine.nativeengine;

import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.engine.ClientRuntime;
import dev.linkwell.client.version.ResolvedVersion;
import dev.linkwell.client.version.WaVersionResolver;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.pair.CompanionPlatform;
import dev.linkwell.protocol.version.WaVersion;
import dev.linkwell.service.config.StartupFailure;
import dev.linkwell.service.storage.FileVersionCache;
import dev.linkwell.service.storage.StorageProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the native engine, aimed at WhatsApp or at whatever {@link NativeEngineTarget} names, with the
 * WhatsApp Web version resolved once at start. Public so that the {@code --doctor} command can build the
 * same engine settings without the rest of the service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NativeEngineProperties.class)
public class NativeEngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NativeEngineConfiguration.class);

    /**
     * The version every connection reports: {@code WA_VERSION} when set; in demo mode the built-in one (the
     * simulator needs nothing fetched); else cached, fetched from {@code WA_VERSION_URL}, or built-in.
     */
    @Bean
    ResolvedVersion waVersion(
            NativeEngineProperties props, StorageProperties storage, ObjectProvider<NativeEngineTarget> target) {
        Optional<WaVersion> configured = configuredVersion(props.version());
        URI url = versionUrl(props.versionUrl());
        if (props.versionFetchTimeout().isNegative()
                || props.versionFetchTimeout().isZero()) {
            throw StartupFailure.badSetting("linkwell.native.version-fetch-timeout must be a positive duration, got "
                    + props.versionFetchTimeout());
        }
        ResolvedVersion version;
        if (configured.isEmpty() && target.getIfAvailable() != null) {
            version =
                    WaVersionResolver.builtIn("demo mode: the engine talks to the embedded simulator, nothing fetched");
        } else {
            version = new WaVersionResolver(
                            url,
                            props.versionFetchTimeout(),
                            new FileVersionCache(storage.root()),
                            InstantSource.system())
                    .resolve(configured);
        }
        log.info(
                "WhatsApp Web version {} ({})",
                version.version(),
                version.source() == ResolvedVersion.Source.CONFIGURED ? "set by WA_VERSION" : version.detail());
        return version;
    }

    @Bean(destroyMethod = "close")
    NativeEngine nativeEngine(
            NativeEngineProperties props, ObjectProvider<NativeEngineTarget> target, ResolvedVersion version) {
        ClientConfig.Builder b = ClientConfig.builder()
                .url(props.url())
                .trustAnchor(trustAnchor(props.trustAnchor()))
                .keepaliveInterval(props.keepaliveInterval())
                .deadLinkTimeout(props.deadLinkTimeout())
                .connectTimeout(props.connectTimeout())
                .iqTimeout(props.iqTimeout())
                .qrFirstTimeout(props.qrFirstTimeout())
                .qrNextTimeout(props.qrNextTimeout())
                .pairingDisplay(pairingDisplay(props.pairingDisplay()))
                .version(version.version());
        NativeEngineTarget t = target.getIfAvailable();
        if (t != null) {
            b.url(t.url()).trustAnchor(t.trustAnchor());
        }
        ClientConfig config = b.build();
        log.info("Native engine: {}", config);
        return new NativeEngine(config, new ClientRuntime());
    }

    private static String pairingDisplay(String display) {
        CompanionPlatform.problemWithDisplay(display).ifPresent(problem -> {
            throw StartupFailure.badSetting("linkwell.native.pairing-display (env WA_PAIRING_DISPLAY): " + problem
                    + "; WhatsApp refuses pairing-code requests otherwise. Example: \"Chrome (Linux)\"");
        });
        return display;
    }

    private static Optional<WaVersion> configuredVersion(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(WaVersion.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            throw StartupFailure.badSetting("linkwell.native.version (env WA_VERSION): " + e.getMessage());
        }
    }

    private static URI versionUrl(String text) {
        String clean = text == null ? "" : text.strip();
        try {
            URI url = new URI(clean);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw StartupFailure.badSetting(
                "linkwell.native.version-url (env WA_VERSION_URL) must be an http(s) URL such as "
                        + WaVersionResolver.DEFAULT_URL + ", got '" + clean + "'");
    }

    private static byte[] trustAnchor(String hex) {
        String clean = hex == null ? "" : hex.strip();
        if (clean.isEmpty()) {
            return TrustAnchor.WHATSAPP.rootPublicKey();
        }
        if (!clean.matches("[0-9a-fA-F]{64}")) {
            throw StartupFailure.badSetting(
                    "linkwell.native.trust-anchor (env WA_TRUST_ANCHOR) must be the 32-byte root "
                            + "public key as 64 hex characters, got " + clean.length() + " characters");
        }
        return java.util.HexFormat.of().parseHex(clean);
    }
}
