package dev.linkwell.service.session;

import dev.linkwell.service.engine.EngineSession;

/**
 * One engine socket of one session, by identity: what its listener reports counts only while the session's
 * state names this token (so a closed, replaced or restarted socket is ignored without a counter), and a
 * scheduled reconnect runs only if the token it was planned for is still there. Holds the socket once the
 * engine returned it; touched only under the session's lock.
 */
final class SocketToken {

    private final String provider;
    private EngineSession socket;

    SocketToken(String provider) {
        this.provider = provider;
    }

    String provider() {
        return provider;
    }

    /** The engine's socket, or {@code null} while {@code Engine.start} has not returned. */
    EngineSession socket() {
        return socket;
    }

    void attach(EngineSession socket) {
        this.socket = socket;
    }

    @Override
    public String toString() {
        return "SocketToken@" + Integer.toHexString(System.identityHashCode(this)) + "[" + provider + "]";
    }
}
