package dev.linkwell.service.ops;

import dev.linkwell.service.session.SessionService;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The step of a graceful shutdown that closes the sessions' sockets, once the web server finished the requests in
 * flight and before the webhook dispatcher's last round: an open socket's last messages are published and reach
 * the outbox, and with several nodes every lease goes back, so the others take the sessions up at once. Only when
 * the application stops, not when a test context is paused.
 */
@Component
class SessionShutdown implements SmartLifecycle {

    private final SessionService sessions;
    private volatile boolean running;

    SessionShutdown(SessionService sessions) {
        this.sessions = sessions;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        sessions.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (graceful shutdown and stop), before the webhook dispatcher. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 3072;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }
}
