package dev.linkwell.simulator;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.stanza.PairDevice;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Pairing by QR, server side: a registration payload gets {@code <pair-device>} with
 * {@link SimulatorConfig#qrRefCount()} refs (Baileys Socket/socket.js 'CB:iq,type:set,pair-device'; whatsmeow
 * pair.go handlePairDevice). Ref {@code i} is on the companion's screen during its window (the first
 * {@link SimulatorConfig#firstRefTimeout()}, each later one {@link SimulatorConfig#nextRefTimeout()}, plus
 * {@link SimulatorConfig#refGrace()} either side); a phone's scan is accepted only then, only on the connection
 * showing it, and only when the QR's keys are that connection's. The phone's answer is {@link PairSuccessFlow}'s.
 */
final class QrPairingFlow {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerConnection conn;
    private List<String> refs = List.of();
    private Instant refsIssuedAt;

    QrPairingFlow(ServerConnection conn) {
        this.conn = conn;
    }

    /** The client sent a registration payload: offer it refs. */
    void start() {
        ClientPayload payload = conn.payload();
        if (!payload.hasDevicePairingData()) {
            throw new ProtocolException("registration payload lacks devicePairingData");
        }
        // checked here, at the edge: a scan compares the QR's identity key with this one
        try {
            Curve25519.fromSignalPublicKey(
                    payload.getDevicePairingData().getEIdent().toByteArray());
        } catch (ProtocolException e) {
            throw new ProtocolException("registration identity key: " + e.getMessage(), e);
        }
        SimulatorConfig config = conn.config();
        conn.stage(ServerConnection.Stage.PAIRING);
        refs = conn.server().connections().newRefs(conn, config.qrRefCount(), QrPairingFlow::random);
        refsIssuedAt = conn.now();
        Duration refsTotal = config.firstRefTimeout()
                .plus(config.nextRefTimeout().multipliedBy(refs.size() - 1))
                .plus(config.refGrace());
        conn.after(refsTotal, this::refsExhausted);
        conn.send(new PairDevice(conn.nextId(), refs).toNode());
        conn.event(new SimulatorEvent.Pairing(conn.origin(), refs.size()));
    }

    /**
     * The last ref expired: no scan is accepted any more (Baileys ends on its own here with 408 "QR refs
     * attempts ended"; whatsmeow's QR channel emits "timeout"). The connection itself lives on until
     * {@link SimulatorConfig#unpairedLifetime()}, so a pairing-code link in progress can still finish.
     */
    private void refsExhausted() {
        if (conn.stage() == ServerConnection.Stage.PAIRING) {
            conn.event(new SimulatorEvent.RefsExhausted(conn.origin()));
        }
    }

    /** A phone scanned a QR this connection shows; runs in the connection's mailbox. */
    CompletableFuture<LinkedDevice> acceptScan(Phone phone, QrCode qr) {
        if (conn.stage() != ServerConnection.Stage.PAIRING) {
            throw SimulatorException.conflict("the connection showing this QR is not waiting for a scan any more");
        }
        int index = refs.indexOf(qr.ref());
        if (index < 0) {
            throw SimulatorException.notFound("unknown QR ref");
        }
        if (!refValidNow(index)) {
            throw new SimulatorException(
                    410,
                    "QR ref " + (index + 1) + " of " + refs.size() + " is not valid now (expired or not shown yet)");
        }
        if (!Arrays.equals(qr.noisePublicKey(), conn.clientStaticKey())) {
            throw SimulatorException.badRequest("QR noise key does not match the connection that received the ref");
        }
        byte[] registeredIdentity =
                conn.payload().getDevicePairingData().getEIdent().toByteArray();
        if (!Arrays.equals(Curve25519.fromSignalPublicKey(registeredIdentity), qr.identityPublicKey())) {
            throw SimulatorException.badRequest("QR identity key does not match the registration payload");
        }
        return conn.pairSuccess.send(phone, qr.identityPublicKey(), qr.advSecret(), "qr");
    }

    /** Whether ref {@code index} is on the companion's screen now (first 60 s, then 20 s each, by default). */
    private boolean refValidNow(int index) {
        SimulatorConfig config = conn.config();
        Instant start = refsIssuedAt;
        if (index > 0) {
            start = start.plus(config.firstRefTimeout())
                    .plus(config.nextRefTimeout().multipliedBy(index - 1));
        }
        Instant end = start.plus(index == 0 ? config.firstRefTimeout() : config.nextRefTimeout());
        Instant now = conn.now();
        return !now.isBefore(start.minus(config.refGrace())) && !now.isAfter(end.plus(config.refGrace()));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
