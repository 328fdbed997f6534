package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.pair.PairSuccess;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <pair-success>}, after a QR scan or a typed code: {@link PairSuccess} checks what the phone signed and
 * signs it back; the credentials are saved <em>before</em> the reply leaves (once the phone sees our signature
 * the pairing is real), then {@code Paired} is reported and the server's 515 follows. A pair-success that does
 * not verify is answered with whatsmeow's error iq and ends the attempt with {@code pairing_failed}.
 */
final class PairSuccessHandler {

    private static final Logger log = LoggerFactory.getLogger(PairSuccessHandler.class);

    private final Connection conn;

    PairSuccessHandler(Connection conn) {
        this.conn = conn;
    }

    void register(NodeRouter router) {
        router.on("iq").child("pair-success").to(this::onPairSuccess);
    }

    private void onPairSuccess(Node iq) {
        PairSuccess.Result result;
        try {
            result = PairSuccess.handle(iq, conn.creds());
        } catch (PairSuccess.PairingFailedException e) {
            log.error("pair-success refused: {}", e.getMessage());
            conn.send(e.reply(iq.attrOr("id", "")));
            conn.end(Disconnect.of(
                    DisconnectReason.PAIRING_FAILED, e.code(), "pair-success did not verify: " + e.getMessage()));
            return;
        }
        conn.repository().save(result.credentials());
        conn.creds(result.credentials());
        conn.lidMap()
                .learn(
                        Jid.tryParse(result.credentials().lid()),
                        Jid.tryParse(result.credentials().me()));
        conn.send(result.reply());
        conn.state(WaClient.State.PAIRED);
        log.info("paired as {}; waiting for the server's restart request", result.jid());
        conn.emit(new EngineEvent.Paired(result.jid()));
    }
}
