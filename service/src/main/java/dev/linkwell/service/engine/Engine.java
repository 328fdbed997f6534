package dev.linkwell.service.engine;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.EngineListener;
import java.util.Optional;

/**
 * A way to reach WhatsApp, one per provider name ({@code native}, {@code baileys}). Register an
 * implementation as a Spring bean and {@link EngineRegistry} picks it up by {@link #provider()}.
 *
 * <p>The service calls {@link #start} under the session's lock with the session id in the SLF4J MDC
 * (key {@code sessionId}); listener callbacks also run with it set. An engine that logs from its own
 * threads sets the MDC there itself.
 */
public interface Engine {

    /** The provider name clients pass in {@code PUT /sessions/{id}}. Unique among engines. */
    String provider();

    /**
     * Opens one socket for the session and returns at once; progress comes through the listener.
     * Credentials are read from and written to {@code store} (absent credentials mean a new login).
     * Each call owns a fresh listener: after the service closes the returned session it ignores that
     * listener, so an engine must not reuse one across starts.
     *
     * @throws EngineException when the socket cannot even be attempted
     */
    EngineSession start(SessionStart start, CredentialStore store, EngineListener listener);

    /**
     * Why this engine cannot start sessions on this machine (a runtime it needs is missing, say), in words that
     * say what to install or set; empty when it can. The service answers 503 with these words instead of starting.
     */
    default Optional<String> missingRequirement() {
        return Optional.empty();
    }
}
