package dev.linkwell.protocol.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateMinter;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseException;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.NoiseResponder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both ends of a connection, wired to each other in memory: handshake, then nodes both ways. */
class NoiseSocketTest {

    private final List<byte[]> toServer = new ArrayList<>();
    private final List<byte[]> toClient = new ArrayList<>();
    private final KeyPair root = KeyPair.generate();
    private final KeyPair serverStatic = KeyPair.generate();
    private final CertificateMinter minter = new CertificateMinter(root);

    private record Ends(NoiseSocket client, NoiseSocket server) {}

    /** Runs the handshake with the client announcing {@code tables}; the server answers in the announced ones. */
    private Ends connected(TokenDictionary tables) {
        NoiseInitiator initiator = new NoiseInitiator(
                KeyPair.generate(),
                CertificateVerifier.of(minter.trustAnchor()),
                FrameCodec.intro(tables.version()),
                new java.security.SecureRandom());
        NoiseResponder responder = new NoiseResponder(serverStatic, minter.mint(serverStatic.publicKey()));
        NoiseSocket client = NoiseSocket.initiator(initiator.intro(), toServer::add);
        NoiseSocket server = NoiseSocket.responder(toClient::add);

        client.writeFrame(initiator.clientHello());
        byte[] hello = single(server.receive(take(toServer)));
        responder.processClientHello(server.peerIntro(), hello);
        server.writeFrame(responder.serverHello());
        initiator.processServerHello(single(client.receive(take(toClient))));
        client.writeFrame(initiator.clientFinish(new byte[] {1, 2, 3}));
        assertThat(responder
                        .processClientFinish(single(server.receive(take(toServer))))
                        .clientPayload())
                .containsExactly(1, 2, 3);
        client.secure(initiator.transport(), tables);
        server.secure(responder.transport(), TokenDictionary.forVersion(server.peerIntro()[3]));
        return new Ends(client, server);
    }

    @Test
    void nodesCrossBothWaysInTheTablesTheClientAnnounced() {
        for (TokenDictionary tables : List.of(TokenDictionary.V2, TokenDictionary.V3)) {
            Ends ends = connected(tables);
            NoiseSocket client = ends.client();
            Node ping =
                    Node.withChildren("iq", Map.of("id", "1", "type", "get", "xmlns", "w:p"), List.of(Node.of("ping")));
            client.send(ping);
            assertThat(ends.server().open(single(ends.server().receive(take(toServer)))))
                    .isEqualTo(ping);
            Node answer = Node.of("iq", Map.of("id", "1", "type", "result"));
            ends.server().send(answer);
            assertThat(client.open(single(client.receive(take(toClient))))).isEqualTo(answer);
            assertThat(ends.server().dictionary()).isSameAs(tables);
        }
    }

    @Test
    void anUndecodableStanzaCostsOnlyItselfButATamperedFrameBreaksTheLink() {
        Ends ends = connected(TokenDictionary.V3);
        ends.server().sendNodeBytes(new byte[] {(byte) 0xf8, 0x01, (byte) 0xf0}); // unassigned tag 240
        assertThatThrownBy(() -> ends.client().open(single(ends.client().receive(take(toClient)))))
                .isInstanceOf(NoiseSocket.UndecodableNodeException.class);
        Node next = Node.of("ib");
        ends.server().send(next);
        assertThat(ends.client().open(single(ends.client().receive(take(toClient)))))
                .isEqualTo(next);

        ends.server().send(next);
        byte[] frame = single(ends.client().receive(take(toClient)));
        frame[frame.length - 1] ^= 1;
        assertThatThrownBy(() -> ends.client().open(frame)).isInstanceOf(NoiseException.class);
    }

    @Test
    void nothingIsSentInClearAfterTheHandshakeAndNothingEncryptedBeforeIt() {
        NoiseSocket early = NoiseSocket.initiator(FrameCodec.WA_INTRO, toServer::add);
        assertThatThrownBy(() -> early.send(Node.of("iq"))).isInstanceOf(IllegalStateException.class);
        assertThat(early.secured()).isFalse();
        assertThat(toServer).isEmpty();
    }

    private static byte[] take(List<byte[]> queue) {
        assertThat(queue).hasSize(1);
        return queue.removeFirst();
    }

    private static byte[] single(List<byte[]> frames) {
        assertThat(frames).hasSize(1);
        return frames.getFirst();
    }
}
