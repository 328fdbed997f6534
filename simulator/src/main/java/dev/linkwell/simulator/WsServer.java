package dev.linkwell.simulator;

import dev.linkwell.protocol.frame.FrameCodec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The WebSocket transport (Java-WebSocket): path {@code /ws/chat}, binary messages only. */
final class WsServer extends WebSocketServer {

    static final String PATH = "/ws/chat";
    private static final Logger log = LoggerFactory.getLogger(WsServer.class);

    private final ServerParts server;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startError;

    /**
     * Largest WebSocket message accepted: one WhatsApp frame at its 3-byte limit, plus the intro and edge routing
     * info that may precede the first. Java-WebSocket allocates a frame's announced length before its bytes
     * arrive and its default limit is 2 GiB, so without this a 14-byte header could claim a gigabyte of heap.
     */
    static final int MAX_MESSAGE_SIZE = FrameCodec.MAX_FRAME_SIZE
            + FrameCodec.LENGTH_SIZE
            + FrameCodec.INTRO_SIZE
            + 7
            + FrameCodec.MAX_ROUTING_INFO_SIZE;

    WsServer(InetSocketAddress address, ServerParts server) {
        super(address, List.of(new Draft_6455(List.of(), MAX_MESSAGE_SIZE)));
        this.server = server;
        setReuseAddr(true);
        setTcpNoDelay(true);
        // WebSocket-level pings are not part of WhatsApp's liveness; the simulator watches node traffic instead.
        setConnectionLostTimeout(0);
    }

    void startAndWait(Duration timeout) {
        start();
        try {
            if (!started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("WebSocket server did not start within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        if (startError != null) {
            throw new IllegalStateException("WebSocket server failed to start: " + startError.getMessage(), startError);
        }
    }

    int boundPort() {
        return getPort();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
            WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
        server.connections().attempts().record();
        ServerHandshakeBuilder builder = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        String path = request.getResourceDescriptor();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (!PATH.equals(path)) {
            refused("path " + path);
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "unknown path " + path);
        }
        if (server.connections().refusing()) {
            refused("refusing connections");
            throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "refusing connections");
        }
        return builder;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        ServerConnection c = new ServerConnection(server.connections().nextId(), conn, server);
        server.recorder().event(new SimulatorEvent.Opened(server.recorder().origin(c.id(), null)));
        conn.setAttachment(c);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        ServerConnection c = conn.getAttachment();
        if (c != null) {
            c.onSocketClosed();
        }
    }

    /** A silenced connection does not answer WebSocket pings either: a frozen server sends no pong. */
    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        ServerConnection c = conn.getAttachment();
        if (c != null && c.silenced()) {
            return;
        }
        super.onWebsocketPing(conn, f);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        conn.close(CloseFrame.REFUSE, "binary frames only");
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        ServerConnection c = conn.getAttachment();
        if (c != null) {
            c.onBytes(message);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            if (started.getCount() > 0) {
                startError = ex;
                started.countDown();
            }
            log.warn("WebSocket server error: {}", ex.toString());
        } else {
            log.debug("WebSocket connection error: {}", ex.toString());
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    private void refused(String why) {
        server.recorder().event(new SimulatorEvent.Refused(server.recorder().origin(0, null), why));
    }
}
