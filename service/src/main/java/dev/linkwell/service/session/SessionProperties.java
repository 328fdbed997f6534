package dev.linkwell.service.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.sessions.*}.
 *
 * @param defaultProvider engine used when {@code PUT /sessions/{id}} names none
 * @param startWait how long {@code PUT} waits for a QR, a pairing code or an open connection
 * @param backoffBase first reconnect delay ceiling; doubles per attempt
 * @param backoffCap largest reconnect delay
 * @param restoreParallelism how many sessions connect at once when restored on boot
 */
@ConfigurationProperties("linkwell.sessions")
public record SessionProperties(
        @DefaultValue("native") String defaultProvider,
        @DefaultValue("20s") Duration startWait,
        @DefaultValue("1s") Duration backoffBase,
        @DefaultValue("60s") Duration backoffCap,
        @DefaultValue("4") int restoreParallelism) {

    public SessionProperties {
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("need 0 < linkwell.sessions.backoff-base <= backoff-cap");
        }
        if (restoreParallelism < 1) {
            throw new IllegalArgumentException("linkwell.sessions.restore-parallelism must be at least 1");
        }
    }
}
