package dev.linkwell.client.socket;

import dev.linkwell.protocol.frame.FrameCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket carrying WhatsApp frames (3-byte length prefix, intro once before the first client
 * frame; whatsmeow socket/framesocket.go, Baileys Socket/noise-handler.js). Built on the JDK
 * {@code java.net.http} WebSocket with the engine's one shared {@link HttpClient}; no thread of its own.
 *
 * <p>Inbound bytes are fed to a {@link FrameCodec.Decoder} whatever the WebSocket message boundaries,
 * and each complete frame goes to the {@link Handler} in order, one at a time: the next WebSocket
 * message is requested only after the handler returned. Outbound frames are queued so that at most one
 * send is outstanding (a JDK WebSocket requirement) and they leave in the order {@link #send} was called.
 */
public final class FrameSocket {

    /** Receives the socket's life; called on the HttpClient's executor, never concurrently. */
    public interface Handler {
        void onOpen();

        void onFrame(byte[] frame);

        /** The socket ended (closed by the server, failed, or closed by us). Called at most once. */
        void onClosed(int statusCode, String reason, Throwable error);
    }

    private final FrameCodec.Encoder encoder;
    private final FrameCodec.Decoder decoder = FrameCodec.clientDecoder();
    private final Handler handler;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile WebSocket ws;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

    public FrameSocket(byte[] intro, Handler handler) {
        this.encoder = FrameCodec.clientEncoder(intro);
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

    /** Frames and sends one payload; returns at once. */
    public void send(byte[] payload) {
        byte[] framed = encoder.encode(payload);
        sendLock.lock();
        try {
            WebSocket socket = ws;
            if (socket == null || closed.get()) {
                return;
            }
            sendChain = sendChain.handle((v, e) -> null)
                    .thenCompose(v -> socket.sendBinary(ByteBuffer.wrap(framed), true))
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
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a ciphertext produced under the caller's lock: {@code encryptAndSend} must encrypt and call
     * this in the same critical section so the Noise counter order equals the wire order.
     */
    public ReentrantLock sendLock() {
        return sendLock;
    }

    /**
     * Closes the socket (normal closure) after the frames already queued; idempotent. The TCP connection
     * is not cut at once: aborting while the server's last frames are unread would make the kernel send
     * a reset, and the server could lose what we sent just before (a logout notice, say). It ends when
     * the server answers the close, or after {@link #CLOSE_GRACE} at the latest.
     */
    public void close() {
        WebSocket socket = ws;
        if (closed.compareAndSet(false, true) && socket != null) {
            sendLock.lock();
            try {
                sendChain.handle((v, e) -> null)
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
            } finally {
                sendLock.unlock();
            }
        }
    }

    /** How long a failed send waits for the read side to report why the socket ended. */
    static final Duration SEND_FAILURE_GRACE = Duration.ofSeconds(1);

    /** Longest wait for the server's half of the closing handshake. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** Drops the TCP connection at once, without a close frame. */
    public void abort() {
        closed.set(true);
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
    }

    private final AtomicBoolean closedFired = new AtomicBoolean();

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
            try {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                List<byte[]> frames = decoder.feed(chunk);
                for (byte[] frame : frames) {
                    if (closedFired.get()) {
                        return null;
                    }
                    handler.onFrame(frame);
                }
            } catch (RuntimeException e) {
                fireClosed(-1, "bad frame from server: " + e.getMessage(), e);
                webSocket.abort();
                return null;
            }
            if (!closedFired.get()) {
                webSocket.request(1);
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
            fireClosed(statusCode, "socket closed by the server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")", null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fireClosed(-1, "socket failed: " + rootMessage(error), error);
        }
    }
}
