package dev.linkwell.client.engine;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.PairDevice;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both ways of pairing do first with the server's {@code <pair-device>} offer: answer it (whatsmeow
 * pair.go handlePairDevice acks with an empty result), ignore it on a device that is already paired, and
 * move to {@code PAIRING}.
 */
final class PairingOffer {

    private static final Logger log = LoggerFactory.getLogger(PairingOffer.class);

    private PairingOffer() {}

    /** The offer to pair with, or empty when this device must not pair again. */
    static Optional<PairDevice> accept(Connection conn, Node iq) {
        conn.send(Iq.clientResult(iq));
        if (conn.creds().paired()) {
            log.warn("server offers pairing to an already paired device; ignoring");
            return Optional.empty();
        }
        conn.state(WaClient.State.PAIRING);
        return PairDevice.from(iq);
    }
}
