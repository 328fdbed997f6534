package dev.linkwell.service.ops;

import dev.linkwell.service.session.SessionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * First step of a graceful shutdown (SIGTERM): from here on {@code PUT /sessions/{id}} answers 503
 * and no restore or reconnect opens a socket. Then the web server finishes the requests in flight,
 * the sessions' sockets are closed ({@link SessionShutdown}), and the webhook dispatcher finishes or leaves its
 * deliveries in the outbox; each phase is bounded by {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@Component
class ShutdownGate implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownGate.class);

    private final SessionService sessions;
    private volatile boolean running;

    ShutdownGate(SessionService sessions) {
        this.sessions = sessions;
    }

    /** Also after a stop: a context that is stopped and started again (Spring's test context pausing) takes sessions again. */
    @Override
    public void start() {
        running = true;
        sessions.acceptSessions();
    }

    @Override
    public void stop() {
        running = false;
        sessions.stopAcceptingSessions();
        log.info("Shutting down: no new sessions; finishing requests and webhook deliveries in flight");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Among the first to stop, before the web server's graceful shutdown. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
