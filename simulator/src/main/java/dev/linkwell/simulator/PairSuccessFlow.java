package dev.linkwell.simulator;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.IqError;
import dev.linkwell.protocol.stanza.PairDeviceSign;
import dev.linkwell.protocol.stanza.PairSuccess;
import dev.linkwell.protocol.stanza.StreamError;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The end of both pairings: the phone signs the companion's identity ({@link Phone#signDeviceIdentity}) and the
 * server sends {@code <pair-success>} with it, the device's JID and LID and the platform; the companion must
 * answer with a {@code <pair-device-sign>} carrying the same details and account signature, the right
 * {@code key-index}, and a device signature that verifies over {@code 06 01 || details || identityPub ||
 * accountSignatureKey} (whatsmeow 33cfac5 pair.go handlePair; Baileys 7 configureSuccessfulPairing). Then the
 * device is recorded and the server restarts the stream with {@code <stream:error code="515"/>}; anything else
 * ends it with 401.
 */
final class PairSuccessFlow {

    private static final byte[] DEVICE_PREFIX = {6, 1};

    private final ServerConnection conn;

    PairSuccessFlow(ServerConnection conn) {
        this.conn = conn;
    }

    private record Sent(
            Phone phone,
            Accounts.DeviceSlot slot,
            byte[] companionIdentity,
            Phone.SignedIdentity identity,
            String method) {}

    /** Sends pair-success; the future completes with the device once the companion's answer verified. */
    CompletableFuture<LinkedDevice> send(Phone phone, byte[] companionIdentity, byte[] advSecret, String method) {
        Accounts.DeviceSlot slot = conn.server().accounts().allocateDevice(phone);
        Phone.SignedIdentity identity =
                phone.signDeviceIdentity(slot.keyIndex(), companionIdentity, advSecret, conn.now());
        Sent sent = new Sent(phone, slot, companionIdentity, identity, method);
        String iqId = conn.nextId();
        CompletableFuture<LinkedDevice> linked = new CompletableFuture<>();
        // the connection ends by unpairedLifetime at the latest, and that fails the wait too
        conn.router().expect(iqId, conn.config().unpairedLifetime()).whenComplete((answer, failure) -> {
            if (failure != null) {
                linked.completeExceptionally(
                        failure instanceof SimulatorException
                                ? failure
                                : SimulatorException.conflict("the companion did not answer pair-success"));
            } else {
                onAnswer(sent, answer, linked);
            }
        });
        conn.stage(ServerConnection.Stage.PAIR_SENT);
        conn.send(
                new PairSuccess(iqId, identity.hmacContainer(), "android", slot.jid(), slot.lid(), phone.businessName())
                        .toNode());
        conn.event(new SimulatorEvent.PairSuccessSent(conn.origin(), slot.jid()));
        return linked;
    }

    private void onAnswer(Sent sent, Node answer, CompletableFuture<LinkedDevice> linked) {
        String problem = problemWith(sent, answer);
        if (problem != null) {
            conn.event(new SimulatorEvent.PairingFailed(conn.origin(), problem));
            conn.endStream(StreamError.code(401).toNode());
            linked.completeExceptionally(new SimulatorException(502, problem));
            return;
        }
        ClientPayload.DevicePairingRegistrationData reg = conn.payload().getDevicePairingData();
        LinkedDevice device = new LinkedDevice(
                sent.slot.jid(),
                sent.slot.lid(),
                sent.phone.id(),
                sent.slot.deviceId(),
                conn.clientStaticKey(),
                sent.companionIdentity,
                (int) Bytes.bigEndian(reg.getERegid().toByteArray()),
                (int) Bytes.bigEndian(reg.getESkeyId().toByteArray()),
                reg.getESkeyVal().toByteArray(),
                reg.getESkeySig().toByteArray(),
                sent.slot.keyIndex(),
                "android",
                sent.method,
                conn.now());
        conn.server().accounts().link(device);
        conn.server().connections().pairingOver(conn);
        conn.event(new SimulatorEvent.Paired(conn.server().recorder().origin(conn.id(), device.jid()), sent.method));
        // the real server restarts the stream so the companion logs in with its new identity
        conn.endStream(StreamError.code(515).toNode());
        linked.complete(device);
    }

    /** What is wrong with the companion's answer, or null when it verifies. */
    private static String problemWith(Sent sent, Node answer) {
        Optional<IqError> refused = Iq.from(answer).error();
        if (refused.isPresent()) {
            // whatsmeow pair.go sendPairError: <iq type="error"><error code="401" text="not-authorized"/></iq>
            IqError e = refused.get();
            return "companion rejected pair-success"
                    + (e.code() == 0 && e.text().isEmpty()
                            ? ""
                            : ": " + (e.code() == 0 ? "?" : e.code()) + " " + e.text());
        }
        PairDeviceSign sign = PairDeviceSign.from(answer).orElse(null);
        if (sign == null || sign.deviceIdentity() == null) {
            return "companion did not answer pair-success with pair-device-sign";
        }
        ADVSignedDeviceIdentity reply;
        try {
            reply = ADVSignedDeviceIdentity.parseFrom(sign.deviceIdentity());
        } catch (InvalidProtocolBufferException e) {
            return "pair-device-sign identity does not parse";
        }
        byte[] details = sent.identity.details();
        byte[] message = Bytes.concat(DEVICE_PREFIX, details, sent.companionIdentity, sent.phone.accountPublicKey());
        if (!Arrays.equals(reply.getDetails().toByteArray(), details)) {
            return "pair-device-sign carries other details";
        }
        if (!Arrays.equals(reply.getAccountSignature().toByteArray(), sent.identity.accountSignature())) {
            return "pair-device-sign carries another account signature";
        }
        if (!verifies(
                sent.companionIdentity, message, reply.getDeviceSignature().toByteArray())) {
            return "device signature does not verify";
        }
        if (!Integer.toString(sent.slot.keyIndex()).equals(sign.keyIndex())) {
            return "key-index does not match";
        }
        return null;
    }

    /** A missing or wrong-length signature (or identity key) is a failed check, not a broken connection. */
    private static boolean verifies(byte[] identityKey, byte[] message, byte[] signature) {
        try {
            return XEdDSA.verify(identityKey, message, signature);
        } catch (ProtocolException e) {
            return false;
        }
    }
}
