package dev.linkwell.service.ops;

import dev.linkwell.service.security.SecurityProperties;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.webhook.WebhookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says loudly at start what is open or unsigned, so nobody runs that way without knowing. */
@Component
class StartupWarnings {

    private static final Logger log = LoggerFactory.getLogger(StartupWarnings.class);

    private final SecurityProperties security;
    private final WebhookProperties webhooks;
    private final SessionService sessions;

    StartupWarnings(SecurityProperties security, WebhookProperties webhooks, SessionService sessions) {
        this.security = security;
        this.webhooks = webhooks;
        this.sessions = sessions;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warn() {
        if (security.apiKeys().isEmpty()) {
            log.warn("""

                ******************************************************************************
                * NO API_KEY IS SET: anyone who reaches this port can start, read, drive and *
                * remove every session. Set API_KEY (one or more, comma-separated) before    *
                * exposing the service beyond this machine.                                  *
                ******************************************************************************""");
        } else {
            log.info(
                    "API keys required ({} admin keys configured)",
                    security.apiKeys().size());
        }
        if (!webhooks.urls().isEmpty()) {
            if (webhooks.secret() == null) {
                log.warn(
                        "WEBHOOK_SECRET is not set: deliveries to {} are NOT signed; receivers cannot tell them from forgeries",
                        webhooks.urls());
            } else {
                log.info("Webhooks to {} are signed with HMAC-SHA256 (X-Linkwell-Signature)", webhooks.urls());
            }
        }
        long unsigned = sessions.list().stream()
                .flatMap(s -> s.webhooks().stream())
                .filter(w -> !w.signed())
                .count();
        if (unsigned > 0) {
            log.warn("{} session webhooks have no secret: their deliveries are NOT signed", unsigned);
        }
    }
}
