package dev.linkwell.service.engine.baileys;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.EngineListener;
import dev.linkwell.service.engine.Engine;
import dev.linkwell.service.engine.EngineException;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SessionStart;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Provider {@code baileys}: sessions run on {@code baileys@7.0.0-rc14} in one supervised Node process
 * ({@link BaileysHost}), with their credentials and Signal keys in the service's {@link CredentialStore}
 * ({@link BaileysCredentials}) and the same events and lifecycle as the native engine. Needs Node.js 20+ and the
 * host's npm packages ({@link NodeRuntime}); without them the service answers 503 saying what to install.
 */
public final class BaileysEngine implements Engine, AutoCloseable {

    public static final String PROVIDER = "baileys";

    private final NodeRuntime runtime;
    private final BaileysHost host;
    private final String versionSent;
    private final AtomicLong nextSocket = new AtomicLong(1);
    private final Map<String, Object> preKeyLocks = new ConcurrentHashMap<>();

    BaileysEngine(NodeRuntime runtime, BaileysHost host, String versionSent) {
        this.runtime = runtime;
        this.host = host;
        this.versionSent = versionSent;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Optional<String> missingRequirement() {
        return runtime.problem();
    }

    @Override
    public EngineSession start(SessionStart start, CredentialStore store, EngineListener listener) {
        runtime.problem().ifPresent(problem -> {
            throw new EngineException(problem);
        });
        String sessionId = start.sessionId();
        BaileysCredentials credentials = new BaileysCredentials(
                store, sessionId, host.json(), preKeyLocks.computeIfAbsent(sessionId, id -> new Object()));
        String stored;
        try {
            stored = credentials.creds().orElse(null);
        } catch (RuntimeException e) {
            // retrying cannot repair a damaged blob: refuse to start instead of pairing anew silently
            throw new EngineException("baileys engine cannot start session " + sessionId + ": " + e.getMessage(), e);
        }
        HostedSocket socket = new HostedSocket(
                nextSocket.getAndIncrement(),
                sessionId,
                start.phone(),
                stored,
                versionSent,
                listener,
                credentials,
                host);
        host.open(socket);
        return socket;
    }

    /** The supervisor of the Node host, for tests that kill it. */
    BaileysHost host() {
        return host;
    }

    @Override
    public void close() {
        host.close();
    }
}
