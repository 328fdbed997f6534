package dev.linkwell.service.support;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A JDK WebSocket listener that queues each whole text message and, if asked, reports the close code. */
public final class WebSocketFrames {

    private WebSocketFrames() {
    }

    /** @param closed completed with the close status code; may be {@code null} */
    public static WebSocket.Listener collector(BlockingQueue<String> frames, CompletableFuture<Integer> closed) {
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
                return null;
            }
        };
    }
}
