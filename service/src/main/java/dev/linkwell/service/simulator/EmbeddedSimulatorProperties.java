package dev.linkwell.service.simulator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.simulator.*}: the WhatsApp simulator embedded in the service for demos and tests.
 *
 * @param mode               {@code embedded} (env {@code WA_SIMULATOR}) starts it; anything else leaves it off
 * @param port               its WebSocket port on loopback; 0 picks a free one
 * @param qrRefCount         QR refs per pairing offer
 * @param firstRefTimeout    lifetime of the first ref
 * @param nextRefTimeout     lifetime of later refs
 * @param serverPingInterval how often it pings logged-in clients (0 = never)
 * @param idleTimeout        it drops clients silent for this long (0 = never)
 * @param minVersion         oldest WhatsApp Web version it serves (env {@code LINKWELL_SIMULATOR_MINVERSION}); an
 *                           older client gets {@code <failure reason="405"/>}. Unset: the simulator's default,
 *                           {@code SimulatorConfig.DEFAULT_MIN_VERSION}
 */
@ConfigurationProperties("linkwell.simulator")
public record EmbeddedSimulatorProperties(
        @DefaultValue("off") String mode,
        @DefaultValue("0") int port,
        @DefaultValue("6") int qrRefCount,
        @DefaultValue("60s") Duration firstRefTimeout,
        @DefaultValue("20s") Duration nextRefTimeout,
        @DefaultValue("60s") Duration serverPingInterval,
        @DefaultValue("90s") Duration idleTimeout,
        String minVersion) {}
