package dev.linkwell.service.engine.baileys;

import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.protocol.pair.CompanionPlatform;
import dev.linkwell.service.engine.nativeengine.NativeEngine;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registers the Baileys engine. Its sockets go where the native engine's go (the same URL and trust anchor, the
 * embedded simulator in demo mode), report the same WhatsApp Web version, and present the same browser and OS
 * as {@code WA_PAIRING_DISPLAY} ({@code "Chrome (Linux)"} becomes Baileys' browser {@code ["Linux", "Chrome", ""]}),
 * so a session looks the same to WhatsApp whichever engine runs it. The host starts with the first session.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BaileysProperties.class)
class BaileysEngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BaileysEngineConfiguration.class);

    @Bean(destroyMethod = "close")
    BaileysEngine baileysEngine(BaileysProperties props, NativeEngine nativeEngine, JsonMapper json) {
        NodeRuntime runtime = new NodeRuntime(props.node(), props.hostDir());
        ClientConfig target = nativeEngine.config();
        BaileysHost host = new BaileysHost(runtime, props, json, configuration(json, props, target));
        runtime.problem()
                .ifPresentOrElse(
                        problem -> log.info("Baileys engine not usable on this machine: {}", problem),
                        () -> log.info(
                                "Baileys engine: Node host in {} ({}), started with the first baileys session",
                                runtime.hostDir(),
                                runtime.node()));
        return new BaileysEngine(runtime, host, target.versionString());
    }

    /** The {@code configure} request of every host (see engines/baileys/lib/sockets.js). */
    static ObjectNode configuration(JsonMapper json, BaileysProperties props, ClientConfig target) {
        ObjectNode c = json.createObjectNode();
        c.put("url", target.url().toString());
        c.put("trustAnchor", HexFormat.of().formatHex(target.trustAnchor()));
        ArrayNode version = c.putArray("version");
        target.version().forEach(version::add);
        String display = target.pairingDisplay();
        String browser = CompanionPlatform.browserOf(display);
        String os = display.substring(browser.length() + 2, display.length() - 1);
        c.putArray("browser").add(os).add(browser).add("");
        c.put("connectTimeoutMs", props.connectTimeout().toMillis());
        c.put("keepAliveIntervalMs", props.keepaliveInterval().toMillis());
        c.put("queryTimeoutMs", props.queryTimeout().toMillis());
        c.put("requestTimeoutMs", props.requestTimeout().toMillis());
        c.put("maxLineBytes", props.maxLineBytes());
        return c;
    }
}
