package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.pair.QrPairing;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.PairDevice;
import dev.linkwell.protocol.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairing by QR: each ref of the server's {@code <pair-device>} offer becomes one QR ({@link QrPairing}: the
 * first shown {@link ClientConfig#qrFirstTimeout()}, each later one {@link ClientConfig#qrNextTimeout()}).
 * This is where a QR is rotated: {@link #showNext()} emits one and schedules the next. When the refs run out
 * the connection ends with {@code qr_refs_exhausted} (Baileys ends with 408 instead of asking for more).
 * The phone's answer, {@code <pair-success>}, is {@link PairSuccessHandler}'s.
 */
final class QrPairingHandler {

    private static final Logger log = LoggerFactory.getLogger(QrPairingHandler.class);

    private final Connection conn;
    private QrPairing qr;
    private Scheduler.Timer rotation = Scheduler.Timer.NONE;

    QrPairingHandler(Connection conn) {
        this.conn = conn;
    }

    void register(NodeRouter router) {
        router.on("iq").type(Iq.SET).child("pair-device").to(this::onPairDevice);
    }

    private void onPairDevice(Node iq) {
        PairDevice offer = PairingOffer.accept(conn, iq).orElse(null);
        if (offer == null) {
            return;
        }
        rotation.cancel(); // a fresh offer replaces any earlier one
        Credentials creds = conn.creds();
        ClientConfig config = conn.config();
        qr = new QrPairing(
                offer.refs(),
                creds.noiseKey().publicKey(),
                creds.identityKey().publicKey(),
                creds.advSecret(),
                config.clientTypeId(),
                config.qrFirstTimeout(),
                config.qrNextTimeout());
        log.info("pairing by QR: {} refs offered", offer.refs().size());
        showNext();
    }

    private void showNext() {
        if (conn.state() != WaClient.State.PAIRING) {
            return;
        }
        QrPairing.Shown shown = qr.nextQr();
        if (shown == null) {
            conn.end(Disconnect.of(
                    DisconnectReason.QR_REFS_EXHAUSTED, "QR refs exhausted: nobody scanned a QR code in time"));
            return;
        }
        rotation = conn.after(shown.ttl(), this::showNext);
        conn.emit(new EngineEvent.Qr(shown.text()));
    }
}
