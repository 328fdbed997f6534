package dev.linkwell.service.support;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A JDK WebSocket listener that queues each whole text message and, if asked, reports the close code. */
public final class WebSocketFrames {

    private WebSocketFrames() {}

    /** A close frame as received. */
    public record Close(int code, String reason) {}

    /** @param closed completed with the close status code; may be {@code null} */
    public static WebSocket.Listener collector(BlockingQueue<String> frames, CompletableFuture<Integer> closed) {
        return collector(frames, closed, null);
    }

    /**
     * @param closed completed with the close status code; may be {@code null}
     * @param close completed with the close code and reason; may be {@code null}
     */
    public static WebSocket.Listener collector(
            BlockingQueue<String> frames, CompletableFuture<Integer> closed, CompletableFuture<Close> close) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                if (closed != null) {
                    closed.complete(statusCode);
                }
                if (close != null) {
                    close.complete(new Close(statusCode, reason));
                }
                return null;
            }
        };
    }
}
