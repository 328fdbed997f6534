package dev.linkwell.simulator;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.noise.NoiseResponder;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.stanza.Failure;
import dev.linkwell.protocol.version.WaVersion;
import java.time.Duration;

/**
 * The server's side of the Noise XX handshake, then the ClientPayload: the client's intro names the
 * dictionary version the connection speaks (whatsmeow binary/token/token.go DictVersion); a payload reporting a
 * version older than {@link SimulatorConfig#minVersion()} gets {@code <failure reason="405"/>} (client outdated,
 * whatsmeow types/events ConnectFailureClientOutdated); a payload with username + device is a login, any other
 * a registration. The first node waits {@link SimulatorConfig#postHandshakeDelay()}.
 */
final class ServerHandshake {

    private final ServerConnection conn;
    private final NoiseResponder responder;
    private TokenDictionary dictionary;

    ServerHandshake(ServerConnection conn) {
        this.conn = conn;
        this.responder =
                new NoiseResponder(conn.server().serverStatic(), conn.server().certChain());
    }

    /** A frame before the transport keys exist: the client's hello, then its finish. */
    void onFrame(byte[] frame) {
        if (conn.stage() == ServerConnection.Stage.AWAIT_HELLO) {
            byte[] intro = conn.noise().peerIntro();
            responder.processClientHello(intro, frame);
            dictionary = TokenDictionary.forVersion(intro[3] & 0xff);
            conn.event(new SimulatorEvent.Handshake(conn.origin(), dictionary.version()));
            conn.noise().writeFrame(responder.serverHello());
            conn.stage(ServerConnection.Stage.AWAIT_FINISH);
            return;
        }
        NoiseResponder.ClientFinish finish = responder.processClientFinish(frame);
        ClientPayload payload;
        try {
            payload = ClientPayload.parseFrom(finish.clientPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolException("ClientPayload does not parse: " + e.getMessage());
        }
        conn.noise().secure(responder.transport(), dictionary);
        conn.handshakeDone(payload, finish.clientStaticKey());
        conn.stage(ServerConnection.Stage.HANDSHAKE_DONE);
        Duration delay = conn.config().postHandshakeDelay();
        if (delay.isZero()) {
            afterHandshake();
        } else {
            conn.after(delay, this::afterHandshake);
        }
    }

    private void afterHandshake() {
        if (conn.stage() != ServerConnection.Stage.HANDSHAKE_DONE) {
            return;
        }
        ClientPayload payload = conn.payload();
        WaVersion version = WaVersion.of(payload);
        WaVersion minimum = conn.config().minVersion();
        if (version.isOlderThan(minimum)) {
            conn.event(new SimulatorEvent.VersionRefused(conn.origin(), version.toString(), minimum.toString()));
            conn.endStream(Failure.at(405, "sim").toNode());
        } else if (payload.hasUsername() && payload.getUsername() != 0) {
            conn.login.start();
        } else {
            conn.qrPairing.start();
        }
    }
}
