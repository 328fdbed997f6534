package dev.linkwell.service.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * What the session service counts as engines report: {@code linkwell_session_reconnects_total{reason}},
 * {@code linkwell_qr_issued_total{kind}} (QR codes and pairing codes shown), {@code linkwell_messages_in_total},
 * {@code linkwell_messages_out_total} (registered here, counted by the messages endpoint) and the histogram
 * {@code linkwell_engine_connect_seconds{provider}}: from opening a socket to logged in, for sockets that
 * logged in with stored credentials (a socket that showed a QR waited for a person, not for the network).
 */
@Component
public class SessionMetrics {

    private final MeterRegistry registry;
    private final Counter messagesIn;

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.messagesIn = Counter.builder("linkwell.messages.in")
                .description("Messages engines relayed as session.message")
                .register(registry);
        Counter.builder("linkwell.messages.out")
                .description("Messages sent through the API")
                .register(registry);
        qrIssued("qr", 0);
        qrIssued("pairing_code", 0);
    }

    void reconnect(String reason) {
        Counter.builder("linkwell.session.reconnects")
                .description("Sockets opened again after a drop, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    void qrIssued(String kind) {
        qrIssued(kind, 1);
    }

    void messageIn() {
        messagesIn.increment();
    }

    void connected(String provider, Duration latency) {
        Timer.builder("linkwell.engine.connect")
                .description("From opening a socket to logged in, with stored credentials")
                .tag("provider", provider)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)
                .record(latency);
    }

    private void qrIssued(String kind, int count) {
        Counter.builder("linkwell.qr.issued")
                .description("QR codes and pairing codes shown to users")
                .tag("kind", kind)
                .register(registry)
                .increment(count);
    }
}
