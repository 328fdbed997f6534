package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.socket.WebSocketTransport;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.conn.NoiseSocket;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateException;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.TrustAnchor;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's socket side: opening the WebSocket, the Noise XX handshake (the server's certificate chain
 * must lead to the trust anchor, else {@code bad_certificate}), the ClientPayload (registration for a new
 * device, login with stored credentials), then every inbound frame: decrypted, acked when it must be, and
 * routed. Socket callbacks only queue tasks in the connection's mailbox.
 */
final class Link implements WebSocketTransport.Handler {

    private static final Logger log = LoggerFactory.getLogger(Link.class);

    private final Connection conn;
    private final KeepaliveHandler keepalive;
    private final AckHandler acks;
    private NoiseInitiator handshake;

    Link(Connection conn, KeepaliveHandler keepalive, AckHandler acks) {
        this.conn = conn;
        this.keepalive = keepalive;
        this.acks = acks;
    }

    /**
     * Loads the credentials (or makes a new device) and the Signal state, and starts the upgrade; runs in the
     * mailbox.
     *
     * @throws IllegalStateException when it was started before, or the stored credentials cannot be read
     */
    void start() {
        if (conn.state() != WaClient.State.NEW) {
            throw new IllegalStateException("a WaClient connects once; create a new one to reconnect");
        }
        conn.state(WaClient.State.CONNECTING);
        Credentials creds;
        try {
            creds = conn.repository().load().orElse(null);
            if (creds == null || !creds.paired()) {
                creds = Registration.newDevice(conn.runtime().random());
                log.debug("new device keys generated");
            }
            conn.signal(Signal.open(conn.repository(), creds, conn.runtime().random()));
        } catch (RuntimeException e) {
            // retrying cannot repair a damaged blob: refuse to start instead of pairing anew silently
            conn.state(WaClient.State.CLOSED);
            throw new IllegalStateException(
                    "stored credentials of session " + conn.repository().sessionId() + " cannot be read: "
                            + e.getMessage(),
                    e);
        }
        conn.creds(creds);
        conn.lidMap(conn.repository().loadLidMap());
        ClientConfig config = conn.config();
        CertificateVerifier verifier = new CertificateVerifier(
                TrustAnchor.of(config.trustAnchor()), conn.runtime().clock().withZone(ZoneOffset.UTC));
        handshake = new NoiseInitiator(
                creds.noiseKey(), verifier, FrameCodec.WA_INTRO, conn.runtime().random());
        WebSocketTransport socket = new WebSocketTransport(this);
        conn.attach(socket, NoiseSocket.initiator(handshake.intro(), socket::send));
        conn.after(config.connectTimeout(), () -> {
            if (conn.state() == WaClient.State.CONNECTING || conn.state() == WaClient.State.HANDSHAKE) {
                conn.end(Disconnect.of(DisconnectReason.TIMED_OUT, "no handshake within " + config.connectTimeout()));
            }
        });
        log.info("connecting to {} ({})", config.url(), creds.paired() ? "login" : "new device");
        socket.open(conn.runtime().http(), config.url(), config.origin(), config.connectTimeout());
    }

    @Override
    public void onOpen() {
        conn.run(() -> {
            if (conn.state() == WaClient.State.CONNECTING) {
                conn.state(WaClient.State.HANDSHAKE);
                conn.noise().writeFrame(handshake.clientHello());
            }
        });
    }

    @Override
    public void onBytes(byte[] chunk, Runnable readMore) {
        // readMore even after the end: the server's answer to our close still has to be read
        conn.runAlways(() -> {
            try {
                if (conn.state() != WaClient.State.CLOSED) {
                    receive(chunk);
                }
            } finally {
                readMore.run();
            }
        });
    }

    @Override
    public void onClosed(int statusCode, String reason, Throwable error) {
        conn.run(() -> {
            if (error != null) {
                log.debug("socket ended", error);
            }
            conn.end(StreamErrors.socketClosed(reason));
        });
    }

    private void receive(byte[] chunk) {
        NoiseSocket noise = conn.noise();
        List<byte[]> frames;
        try {
            frames = noise.receive(chunk);
        } catch (ProtocolException e) {
            conn.socket().abort();
            conn.end(StreamErrors.socketClosed("bad frame from server: " + e.getMessage()));
            return;
        }
        for (byte[] frame : frames) {
            if (conn.state() == WaClient.State.CLOSED) {
                return;
            }
            keepalive.received();
            if (!noise.secured()) {
                onServerHello(frame);
                continue;
            }
            Node node;
            try {
                node = noise.open(frame); // a frame that does not decrypt means the link is broken: that throws
            } catch (NoiseSocket.UndecodableNodeException e) {
                // one stanza we cannot read must not cost the connection (and a reconnect loop, since the
                // server replays unacked stanzas): whatsmeow logs the decode error and reads on
                log.warn(
                        "skipped an inbound stanza that does not decode ({} bytes): {}",
                        e.length(),
                        e.getCause().getMessage());
                continue;
            }
            if (log.isTraceEnabled()) {
                log.trace("recv <{}>", node.tag());
            }
            acks.ackIfOwed(node);
            conn.router().route(node);
        }
    }

    private void onServerHello(byte[] frame) {
        try {
            handshake.processServerHello(frame);
        } catch (CertificateException e) {
            log.error("server certificate refused ({}): {}", e.check(), e.getMessage());
            conn.end(Disconnect.of(
                    DisconnectReason.BAD_CERTIFICATE, "server certificate chain refused: " + e.getMessage()));
            return;
        }
        Credentials creds = conn.creds();
        ClientConfig config = conn.config();
        byte[] payload = (creds.paired()
                        ? Registration.loginPayload(creds, config)
                        : Registration.registrationPayload(creds, config))
                .toByteArray();
        conn.noise().writeFrame(handshake.clientFinish(payload));
        conn.noise().secure(handshake.transport(), TokenDictionary.CURRENT);
        handshake = null;
        conn.state(WaClient.State.AUTHENTICATING);
        keepalive.start();
        log.debug("handshake done, {} sent", creds.paired() ? "login" : "registration");
    }
}
