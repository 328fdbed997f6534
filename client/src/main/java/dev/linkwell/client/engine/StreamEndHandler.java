package dev.linkwell.client.engine;

import dev.linkwell.protocol.conn.NodeRouter;

/**
 * The server ends the stream: {@code <stream:error>}, {@code <failure>} at login, or {@code <xmlstreamend/>}.
 * Each ends the connection with the one {@link dev.linkwell.client.Disconnect} {@link StreamErrors} maps it to.
 * The 515 after pairing arrives here and becomes {@code restart_required}: the connection ends, and its
 * owner (the service) opens a new one at once, which logs in with the credentials pairing stored.
 */
final class StreamEndHandler {

    private final Connection conn;

    StreamEndHandler(Connection conn) {
        this.conn = conn;
    }

    void register(NodeRouter router) {
        router.on("stream:error")
                .to(node -> conn.end(StreamErrors.fromStreamError(node)))
                .on("failure")
                .to(node ->
                        conn.end(StreamErrors.fromFailure(node, conn.config().versionString())))
                .on("xmlstreamend")
                .to(node -> conn.end(StreamErrors.streamEnd()));
    }
}
