package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.function.Consumer;

/** One request on one {@link ServerConnection}, as its {@link Dispatcher} handles it (in the connection's mailbox). */
final class ConnectionExchange implements Exchange {

    private final ServerConnection conn;
    private final Request request;
    private final Runnable whatsApp;
    private final Consumer<Node> onEndStream;

    /**
     * @param whatsApp    the WhatsApp behaviour for this request
     * @param onEndStream told first when the answer ends the stream (a refused login is recorded so)
     */
    ConnectionExchange(ServerConnection conn, Request request, Runnable whatsApp, Consumer<Node> onEndStream) {
        this.conn = conn;
        this.request = request;
        this.whatsApp = whatsApp;
        this.onEndStream = onEndStream;
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public void reply(Node node) {
        conn.send(node);
    }

    @Override
    public void endStream(Node errorOrFailure) {
        onEndStream.accept(errorOrFailure);
        conn.endStream(errorOrFailure);
    }

    @Override
    public void drop() {
        conn.drop();
    }

    @Override
    public void ignore() {
        // the request is recorded; nothing goes back
    }

    @Override
    public void serveAsWhatsApp() {
        whatsApp.run();
    }
}
