package dev.linkwell.service.session;

import org.springframework.stereotype.Component;

/**
 * Whether this node takes sessions up. Closed when shutdown begins: from then on no new session, restore, takeover
 * or reconnect opens a socket. Opened again when the application starts again.
 */
@Component
class SessionAdmission {

    private volatile boolean open = true;

    boolean isOpen() {
        return open;
    }

    void close() {
        open = false;
    }

    void open() {
        open = true;
    }
}
