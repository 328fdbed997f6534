package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.pair.PairingCode;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.pair.CompanionPlatform;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.IqError;
import dev.linkwell.protocol.stanza.LinkCode;
import dev.linkwell.protocol.stanza.PairDevice;
import dev.linkwell.protocol.time.Scheduler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairing by code, for a session started with a phone number ({@link PairingCode} holds the crypto):
 * <ol>
 *   <li>on the {@code <pair-device>} offer, companion_hello is sent as a query (whatsmeow PairPhone): the code
 *       is shown only once the server answered with the pairing ref; an error answer (400 for a display or
 *       number it refuses) ends the attempt with {@code pairing_failed} and the server's code;</li>
 *   <li>the code lives as long as the offered refs would have lived as QRs, then {@code qr_refs_exhausted};</li>
 *   <li>the phone's {@code link_code_companion_reg} notification must name that ref (whatsmeow
 *       handleCodePairNotification ignores one that does not); companion_finish is a query too, and an error
 *       answer ends the attempt (whatsapp-rust PR #1198: WA Web awaits it).</li>
 * </ol>
 * The phone's {@code <pair-success>} then goes to {@link PairSuccessHandler}.
 */
final class CodePairingHandler {

    private static final Logger log = LoggerFactory.getLogger(CodePairingHandler.class);

    private final Connection conn;
    private final String phone;
    private PairingCode pairingCode;
    /** The pairing ref the server gave in its answer to companion_hello; the phone's notification must name it. */
    private String pairingRef;

    private Scheduler.Timer expiry = Scheduler.Timer.NONE;

    CodePairingHandler(Connection conn, String phone) {
        this.conn = conn;
        this.phone = phone;
    }

    void register(NodeRouter router) {
        router.on("iq").type(Iq.SET).child("pair-device").to(this::onPairDevice);
    }

    private void onPairDevice(Node iq) {
        PairDevice offer = PairingOffer.accept(conn, iq).orElse(null);
        if (offer == null) {
            return;
        }
        expiry.cancel();
        ClientConfig config = conn.config();
        pairingCode = PairingCode.create(phone, conn.runtime().random());
        pairingRef = null;
        log.info("pairing by code for phone ending {}", phone.substring(Math.max(0, phone.length() - 2)));
        String platformId = CompanionPlatform.clientTypeId(CompanionPlatform.browserOf(config.pairingDisplay()))
                .orElseThrow();
        Node hello = pairingCode.companionHello(
                conn.nextId(),
                conn.creds().noiseKey().publicKey(),
                platformId,
                config.pairingDisplay(),
                conn.runtime().random());
        int refs = offer.refs().size();
        conn.whenAnswered(conn.query(hello), (answer, failure) -> onHelloAnswer(answer, failure, refs));
    }

    private void onHelloAnswer(Node answer, Throwable failure, int refs) {
        if (conn.state() != WaClient.State.PAIRING) {
            return;
        }
        String display = " (pairing display \"" + conn.config().pairingDisplay() + "\")";
        if (failure != null) {
            conn.end(Disconnect.of(
                    DisconnectReason.PAIRING_FAILED,
                    "no answer to the pairing-code request: " + failure.getMessage() + display));
            return;
        }
        try {
            pairingRef = PairingCode.pairingRef(answer);
        } catch (ProtocolException e) {
            int code = Iq.from(answer).error().map(IqError::code).orElse(0);
            conn.end(Disconnect.of(
                    DisconnectReason.PAIRING_FAILED,
                    code == 0 ? DisconnectReason.PAIRING_FAILED.code() : code,
                    e.getMessage() + display));
            return;
        }
        ClientConfig config = conn.config();
        Duration life = config.qrFirstTimeout().plus(config.qrNextTimeout().multipliedBy(Math.max(0, refs - 1)));
        expiry = conn.after(life, () -> {
            if (conn.state() == WaClient.State.PAIRING) {
                conn.end(Disconnect.of(
                        DisconnectReason.QR_REFS_EXHAUSTED, "pairing code expired: it was not entered in time"));
            }
        });
        conn.emit(new EngineEvent.PairingCode(pairingCode.code()));
    }

    /** The phone's {@code <notification type="link_code_companion_reg">}: the user typed the code. */
    void onPhoneNotification(Node notification) {
        Node reg = notification.child(LinkCode.TAG);
        if (pairingRef == null || conn.state() != WaClient.State.PAIRING || reg == null) {
            return;
        }
        PairingCode.Finish finish;
        try {
            finish = pairingCode.finish(
                    reg,
                    pairingRef,
                    conn.nextId(),
                    conn.creds().identityKey(),
                    conn.runtime().random());
        } catch (ProtocolException e) {
            // whatsmeow handleCodePairNotification logs and waits on; a later notification may be right
            log.warn("ignored a pairing-code notification: {}", e.getMessage());
            return;
        }
        conn.creds(conn.creds().withAdvSecret(finish.advSecret()));
        log.info("pairing code accepted by the phone; sending companion_finish");
        conn.whenAnswered(conn.query(finish.iq()), (answer, failure) -> {
            if (conn.state() != WaClient.State.PAIRING) {
                return;
            }
            if (failure != null) {
                conn.end(Disconnect.of(
                        DisconnectReason.PAIRING_FAILED, "no answer to companion_finish: " + failure.getMessage()));
                return;
            }
            Iq.from(answer)
                    .error()
                    .ifPresent(error -> conn.end(Disconnect.of(
                            DisconnectReason.PAIRING_FAILED,
                            error.code() == 0 ? DisconnectReason.PAIRING_FAILED.code() : error.code(),
                            "WhatsApp refused companion_finish: " + error.describe())));
        });
    }
}
