package dev.linkwell.service.session;

import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.storage.FencedException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener handed to one engine socket: each report becomes a decision of the session about that socket, carried
 * out at once under the session's lock; reports of a socket the session left behind change nothing.
 */
final class SocketListener implements EngineListener {

    private static final Logger log = LoggerFactory.getLogger(SocketListener.class);

    private final ManagedSession session;
    private final SocketToken token;
    private final DecisionRunner runner;
    private final Backoff backoff;
    private final SessionMetrics metrics;
    private final Clock clock;
    private final long openedAtNanos = System.nanoTime();
    /** Under the session's lock; a socket that showed a code waited for a person, so no connect latency. */
    private boolean showedCode;

    SocketListener(
            ManagedSession session,
            SocketToken token,
            DecisionRunner runner,
            Backoff backoff,
            SessionMetrics metrics,
            Clock clock) {
        this.session = session;
        this.token = token;
        this.runner = runner;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void on(EngineEvent event) {
        SessionMdc.run(session.id, () -> {
            session.lock().lock();
            try {
                boolean drainedNow = event instanceof EngineEvent.Disconnected
                        && session.state().drains(token);
                Decision decision = decide(event);
                if (decision.isNone()) {
                    log.debug(
                            "Ignoring {} from an abandoned or dead socket",
                            event.getClass().getSimpleName());
                    return;
                }
                if (drainedNow) {
                    log.debug("The closing socket reported its end");
                } else {
                    count(event);
                }
                runner.apply(session, decision);
            } catch (SessionException e) {
                if (e.getCause() instanceof FencedException) {
                    log.warn("{}: {}", e.title(), e.getMessage()); // said already why: the lease went elsewhere
                } else {
                    log.error("{}: {}", e.title(), e.getMessage());
                }
            } finally {
                session.lock().unlock();
            }
        });
    }

    private Decision decide(EngineEvent event) {
        return switch (event) {
            case EngineEvent.Qr qr -> session.onQr(token, qr.text(), clock.instant());
            case EngineEvent.PairingCode code -> session.onPairingCode(token, code.code(), clock.instant());
            case EngineEvent.Paired paired -> {
                log.debug("Paired as {}", paired.jid());
                yield Decision.NONE;
            }
            case EngineEvent.Opened opened -> session.onOpen(token, opened.jid(), clock.instant());
            case EngineEvent.MessageReceived message -> session.onMessage(token, new EventData.Message(message.data()));
            case EngineEvent.Disconnected disconnected ->
                session.onDisconnect(token, disconnected.why(), backoff, clock.instant());
        };
    }

    /** The metrics of a report the session acted on. */
    private void count(EngineEvent event) {
        switch (event) {
            case EngineEvent.Qr qr -> {
                showedCode = true;
                metrics.qrIssued("qr");
            }
            case EngineEvent.PairingCode code -> {
                showedCode = true;
                metrics.qrIssued("pairing_code");
            }
            case EngineEvent.Opened opened -> {
                log.info("Connection open{}", opened.jid() == null ? "" : " as " + opened.jid());
                if (!showedCode) {
                    metrics.connected(token.provider(), Duration.ofNanos(System.nanoTime() - openedAtNanos));
                }
            }
            case EngineEvent.MessageReceived message -> metrics.messageIn();
            case EngineEvent.Disconnected disconnected -> logDisconnect(disconnected);
            case EngineEvent.Paired paired -> {}
        }
    }

    private void logDisconnect(EngineEvent.Disconnected disconnected) {
        DisconnectReason reason = disconnected.why().reason();
        String detail = disconnected.why().detail();
        switch (reason.action()) {
            case RECONNECT_NOW -> metrics.reconnect(reason.wireName());
            case RECONNECT_WITH_BACKOFF -> {
                metrics.reconnect(reason.wireName());
                log.warn("Connection lost ({}{})", reason.wireName(), detail == null ? "" : ": " + detail);
            }
            case STOP ->
                log.warn(
                        "Session stopped ({}{}); credentials kept, not reconnecting",
                        reason.wireName(),
                        detail == null ? "" : ": " + detail);
            case PURGE ->
                log.warn(
                        "Session logged out by the server ({} {}: {}); purging credentials",
                        reason.wireName(),
                        disconnected.why().code(),
                        detail);
        }
    }
}
