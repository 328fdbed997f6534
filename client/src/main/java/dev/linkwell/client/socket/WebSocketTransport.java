package dev.linkwell.client.socket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The WebSocket one connection's bytes travel on (JDK {@code java.net.http}, on the engine's one shared
 * {@link HttpClient}; no thread of its own). Framing and encryption are the
 * {@link dev.linkwell.protocol.conn.NoiseSocket}'s job; this class moves binary messages.
 *
 * <p>Inbound messages go to the {@link Handler} in order; the next one is requested only when the handler
 * says it is done with the last ({@code readMore}), so a busy connection is not flooded. Outbound messages
 * leave in the order {@link #send} was called, at most one send outstanding (a JDK WebSocket requirement).
 * {@link #send} and {@link #close} are meant to be called from one connection's mailbox, not concurrently.
 */
public final class WebSocketTransport {

    /** Receives the socket's life; calls come from the HttpClient's threads. */
    public interface Handler {
        void onOpen();

        /** One binary message (any part of any frame); call {@code readMore} once it was handled. */
        void onBytes(byte[] chunk, Runnable readMore);

        /** The socket ended (closed by the server, failed, or closed by us). Called at most once. */
        void onClosed(int statusCode, String reason, Throwable error);
    }

    /** How long a failed send waits for the read side to report why the socket ended. */
    static final Duration SEND_FAILURE_GRACE = Duration.ofSeconds(1);

    /** Longest wait for the server's half of the closing handshake. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Handler handler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean closedFired = new AtomicBoolean();
    private volatile WebSocket ws;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

    public WebSocketTransport(Handler handler) {
        this.handler = handler;
    }

    /** Starts the upgrade; the outcome arrives through the handler. */
    public void open(HttpClient http, URI url, String origin, Duration timeout) {
        http.newWebSocketBuilder()
                .header("Origin", origin)
                .connectTimeout(timeout)
                .buildAsync(url, new Listener())
                .whenComplete((socket, error) -> {
                    if (error != null) {
                        fireClosed(-1, "cannot connect to " + url + ": " + rootMessage(error), error);
                    } else if (closed.get()) {
                        socket.abort(); // closed while connecting
                    }
                });
    }

    /** Sends one binary message after the ones already queued; returns at once. */
    public void send(byte[] message) {
        WebSocket socket = ws;
        if (socket == null || closed.get()) {
            return;
        }
        sendChain = sendChain
                .handle((v, e) -> null)
                .thenCompose(v -> socket.sendBinary(ByteBuffer.wrap(message), true))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        // A send fails when the server already closed; the read side then reports the end
                        // in order, after the frames the server sent first (a stream:error saying why).
                        // Only if it stays silent does the failed send end the socket.
                        CompletableFuture.delayedExecutor(SEND_FAILURE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                                .execute(() -> {
                                    fireClosed(-1, "send failed: " + rootMessage(e), e);
                                    socket.abort();
                                });
                    }
                });
    }

    /**
     * Closes the socket (normal closure) after the messages already queued; idempotent. The TCP connection
     * is not cut at once: aborting while the server's last frames are unread would make the kernel send
     * a reset, and the server could lose what we sent just before (a logout notice, say). It ends when
     * the server answers the close, or after {@link #CLOSE_GRACE} at the latest.
     */
    public void close() {
        WebSocket socket = ws;
        if (closed.compareAndSet(false, true) && socket != null) {
            sendChain
                    .handle((v, e) -> null)
                    .thenCompose(v -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                    .orTimeout(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            socket.abort();
                        } else {
                            CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                                    .execute(socket::abort); // no-op once the closing handshake finished
                        }
                    });
        }
    }

    /** Drops the TCP connection at once, without a close frame. */
    public void abort() {
        closed.set(true);
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
    }

    private void fireClosed(int code, String reason, Throwable error) {
        if (closedFired.compareAndSet(false, true)) {
            closed.set(true);
            handler.onClosed(code, reason, error);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            if (closed.get()) {
                webSocket.abort();
                return;
            }
            handler.onOpen();
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            if (!closedFired.get()) {
                handler.onBytes(chunk, () -> {
                    if (!closedFired.get()) {
                        webSocket.request(1);
                    }
                });
            }
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1); // WhatsApp never sends text; ignore it
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fireClosed(
                    statusCode,
                    "socket closed by the server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")",
                    null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fireClosed(-1, "socket failed: " + rootMessage(error), error);
        }
    }
}
