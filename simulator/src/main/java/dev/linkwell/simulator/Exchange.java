package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;

/** One {@link Request} on one connection, and what the server can do about it. Answer it once. */
public interface Exchange {

    Request request();

    /** Sends this node on the connection (and handles nothing else for the request). */
    void reply(Node node);

    /**
     * Sends this {@code <stream:error>} or {@code <failure>} and ends the stream, as the server ends it after
     * any stream error ({@link WaSimulator#STREAM_END_GRACE}).
     */
    void endStream(Node errorOrFailure);

    /** Cuts the TCP connection, without a WebSocket close. */
    void drop();

    /** Answers nothing (the request is still recorded). */
    void ignore();

    /** Serves the request as WhatsApp would: the default. */
    void serveAsWhatsApp();
}
