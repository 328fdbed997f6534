package dev.linkwell.service.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code linkwell_sessions{status}}: how many known sessions are in each status, read at each scrape. */
@Component
class SessionGauges {

    SessionGauges(MeterRegistry registry, SessionService sessions) {
        for (SessionStatus status : SessionStatus.values()) {
            Gauge.builder(
                            "linkwell.sessions",
                            sessions,
                            s -> s.list().stream()
                                    .filter(v -> v.status() == status)
                                    .count())
                    .description("Known sessions by status")
                    .tag("status", status.wireName())
                    .register(registry);
        }
    }
}
