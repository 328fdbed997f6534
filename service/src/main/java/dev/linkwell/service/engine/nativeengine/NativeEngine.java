package dev.linkwell.service.engine.nativeengine;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.SendFailure;
import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.engine.ClientRuntime;
import dev.linkwell.client.engine.WaClient;
import dev.linkwell.service.engine.Engine;
import dev.linkwell.service.engine.EngineException;
import dev.linkwell.service.engine.EngineSession;
import dev.linkwell.service.engine.SendException;
import dev.linkwell.service.engine.SessionStart;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Provider {@code native}: the project's own WhatsApp Web client ({@link WaClient}), one per socket,
 * all sharing one {@link ClientRuntime} (one HTTP client, one timer thread, virtual threads for work).
 */
public final class NativeEngine implements Engine, AutoCloseable {

    public static final String PROVIDER = "native";

    private final ClientConfig config;
    private final ClientRuntime runtime;

    public NativeEngine(ClientConfig config, ClientRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    public ClientConfig config() {
        return config;
    }

    /** The HTTP client, timer thread and random source the engine's sessions share. */
    public ClientRuntime runtime() {
        return runtime;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public EngineSession start(SessionStart start, CredentialStore store, EngineListener listener) {
        WaClient client = new WaClient(runtime, config, start.sessionId(), store, start.phone(), listener);
        try {
            client.connect();
        } catch (RuntimeException e) {
            throw new EngineException(
                    "native engine cannot start session " + start.sessionId() + ": " + e.getMessage(), e);
        }
        return new EngineSession() {
            @Override
            public void close() {
                client.close();
            }

            @Override
            public void logout() {
                client.logout();
            }

            @Override
            public CompletableFuture<String> sendText(String to, String text) {
                return client.sendText(to, text)
                        .handle((id, failure) -> failure == null
                                ? CompletableFuture.completedFuture(id)
                                : CompletableFuture.<String>failedFuture(sendException(failure)))
                        .thenCompose(f -> f);
            }
        };
    }

    /** The service's words for why the client could not send. */
    static SendException sendException(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!(cause instanceof SendFailure f)) {
            return new SendException(SendException.Kind.SERVER_ERROR, "sending failed: " + cause);
        }
        SendException.Kind kind = switch (f.kind()) {
            case BAD_RECIPIENT -> SendException.Kind.BAD_RECIPIENT;
            case UNKNOWN_NUMBER -> SendException.Kind.UNKNOWN_NUMBER;
            case NOT_CONNECTED -> SendException.Kind.NOT_READY;
            case REFUSED -> SendException.Kind.SERVER_ERROR;
            case TIMEOUT -> SendException.Kind.TIMEOUT;
            case NOT_SUPPORTED -> SendException.Kind.NOT_IMPLEMENTED;
        };
        return new SendException(kind, f.getMessage());
    }

    @Override
    public void close() {
        runtime.close();
    }
}
