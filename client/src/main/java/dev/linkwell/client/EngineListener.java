package dev.linkwell.client;

/**
 * Receives what an engine reports about one socket. Calls come one at a time per socket, in order,
 * with the session id in the SLF4J MDC (key {@code sessionId}).
 */
@FunctionalInterface
public interface EngineListener {

    void on(EngineEvent event);
}
