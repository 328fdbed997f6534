package dev.linkwell.service.engine.nativeengine;

import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.engine.ClientRuntime;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.pair.CompanionPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the native engine, aimed at WhatsApp or at whatever {@link NativeEngineTarget} names. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NativeEngineProperties.class)
class NativeEngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NativeEngineConfiguration.class);

    @Bean(destroyMethod = "close")
    NativeEngine nativeEngine(NativeEngineProperties props, ObjectProvider<NativeEngineTarget> target) {
        ClientConfig.Builder b = ClientConfig.builder()
                .url(props.url())
                .trustAnchor(trustAnchor(props.trustAnchor()))
                .keepaliveInterval(props.keepaliveInterval())
                .deadLinkTimeout(props.deadLinkTimeout())
                .connectTimeout(props.connectTimeout())
                .iqTimeout(props.iqTimeout())
                .qrFirstTimeout(props.qrFirstTimeout())
                .qrNextTimeout(props.qrNextTimeout())
                .pairingDisplay(pairingDisplay(props.pairingDisplay()));
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
            throw new IllegalStateException("linkwell.native.pairing-display (env WA_PAIRING_DISPLAY): " + problem
                    + "; WhatsApp refuses pairing-code requests otherwise. Example: \"Chrome (Linux)\"");
        });
        return display;
    }

    private static byte[] trustAnchor(String hex) {
        String clean = hex == null ? "" : hex.strip();
        if (clean.isEmpty()) {
            return TrustAnchor.WHATSAPP.rootPublicKey();
        }
        if (!clean.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalStateException("linkwell.native.trust-anchor (env WA_TRUST_ANCHOR) must be the 32-byte root "
                    + "public key as 64 hex characters, got " + clean.length() + " characters");
        }
        return java.util.HexFormat.of().parseHex(clean);
    }
}
