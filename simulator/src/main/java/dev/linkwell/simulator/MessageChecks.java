package dev.linkwell.simulator;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
import dev.linkwell.protocol.proto.ADVEncryptionType;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.stanza.OutboundMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the server checks on a {@code <message>} a device sends ({@link OutboundMessage}) before it takes it, and
 * the refusal code it answers with in its ack ({@code <ack class="message" error=N/>}). Codes and the checks they
 * stand for, after whatsapp-rust 1489b7da (src/send/mod.rs, src/client/node_io.rs), which records what the real
 * server nacks; where the code is our inference it says [I]:
 * <ul>
 *   <li>400: no {@code to} or {@code type}, a malformed {@code <participants>}, a {@code to} in another namespace
 *       (phone number / LID) than its participants, a device addressed twice, a participant outside the recipient's
 *       and the sender's accounts [I], the sending device among its own participants [I];</li>
 *   <li>479 ("SmaxInvalid"): a {@code to} that is not a JID;</li>
 *   <li>404: a recipient no account has [I: whatsapp-rust names 404 "recipient not found"];</li>
 *   <li>400 [I]: a {@code pkmsg} without {@code <device-identity>}, or one that is not the sender's (account
 *       signature by its phone's key over {@code 06 00 || details || identity}, device signature by its identity
 *       over {@code 06 01 || details || identity || account key}, whatsmeow pair.go): the receiving device could not
 *       check who started the session ("the linked-device deadlock", whatsapp-rust wacore/src/send/encrypt.rs).</li>
 * </ul>
 * A participant that names a device the account does not have (a stale device list) is not refused: it is not
 * delivered, and the participant hash in the ack tells the sender its list is stale.
 */
final class MessageChecks {

    /** What the server makes of a message: a fan-out, or a refusal. */
    sealed interface Verdict permits Fanout, Refusal {}

    /** A message that passed: whom it goes to and where from. */
    record Fanout(
            OutboundMessage message,
            Jid to,
            Phone recipient,
            Phone sender,
            LinkedDevice senderDevice,
            boolean lid,
            List<Target> targets)
            implements Verdict {}

    /** One device a message goes to: as the sender named it, and the account device it is (null: no such device). */
    record Target(OutboundMessage.Participant participant, Jid device, Phone account) {}

    /** Why a message is refused: the code for the ack and the reason for the event log. */
    record Refusal(int code, String why) implements Verdict {}

    private final Accounts accounts;

    MessageChecks(Accounts accounts) {
        this.accounts = accounts;
    }

    /** The fan-out of a message, or why it is refused. */
    Verdict check(Node node, LinkedDevice senderDevice) {
        if (node.attr("to") == null || node.attr("type") == null) {
            return new Refusal(400, "a message needs id, to and type");
        }
        Jid to = Jid.tryParse(node.attr("to"));
        if (to == null) {
            return new Refusal(479, "to is not a JID: " + node.attr("to"));
        }
        if (!(to.isUser() || to.isLid())) {
            return new Refusal(400, "the simulator relays messages to users only, not to " + to);
        }
        OutboundMessage message;
        try {
            message = OutboundMessage.from(node);
        } catch (ProtocolException e) {
            return new Refusal(400, e.getMessage());
        }
        // a resend for one device (the answer to a retry receipt) names the device in to and carries one <enc>
        List<OutboundMessage.Participant> participants =
                message.direct().isPresent() && message.participants().isEmpty()
                        ? List.of(new OutboundMessage.Participant(
                                to.toString(), message.direct().get()))
                        : message.participants();
        if (participants.isEmpty() || to.hasDevice() && message.direct().isEmpty()) {
            return new Refusal(400, "a message needs <participants>, or one <enc> for the device named in to");
        }
        Phone sender = accounts.phone(senderDevice.phoneId());
        Optional<Phone> recipient = account(to.toNonAd());
        if (recipient.isEmpty()) {
            return new Refusal(404, "no account " + to);
        }
        List<Target> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (OutboundMessage.Participant p : participants) {
            Jid device = Jid.tryParse(p.jid());
            if (device == null || !device.server().equals(to.server())) {
                return new Refusal(400, "participant " + p.jid() + " is not in the namespace of " + to);
            }
            Optional<Phone> account = account(device.toNonAd());
            if (account.isEmpty() || !(account.get() == recipient.get() || account.get() == sender)) {
                return new Refusal(400, "participant " + p.jid() + " is neither the recipient's nor the sender's");
            }
            if (!seen.add(account.get().id() + ":" + device.device())) {
                return new Refusal(400, "device " + p.jid() + " is addressed twice");
            }
            if (account.get() == sender && device.device() == senderDevice.deviceId()) {
                return new Refusal(400, "the sending device " + p.jid() + " is among its own participants");
            }
            boolean exists = device.device() == 0
                    || account.get().linkedDevices().stream().anyMatch(d -> d.deviceId() == device.device());
            targets.add(new Target(p, exists ? device : null, account.get()));
        }
        if (message.hasPreKeyMessage()) {
            Optional<String> problem = message.deviceIdentity()
                    .map(d -> identityProblem(d, senderDevice, sender))
                    .orElse(Optional.of("a pkmsg from a companion needs its <device-identity>"));
            if (problem.isPresent()) {
                return new Refusal(400, problem.get());
            }
        }
        return new Fanout(message, to.toNonAd(), recipient.get(), sender, senderDevice, to.isLid(), targets);
    }

    /** Why the device identity is not the sending companion's, or empty when it is. */
    private static Optional<String> identityProblem(byte[] deviceIdentity, LinkedDevice device, Phone phone) {
        try {
            ADVSignedDeviceIdentity signed = ADVSignedDeviceIdentity.parseFrom(deviceIdentity);
            byte[] details = signed.getDetails().toByteArray();
            ADVDeviceIdentity parsed = ADVDeviceIdentity.parseFrom(details);
            byte[] accountKey = phone.accountPublicKey();
            byte[] identity = device.identityPublicKey();
            byte[] prefix = parsed.getDeviceType() == ADVEncryptionType.HOSTED ? new byte[] {6, 5} : new byte[] {6, 0};
            if (parsed.getKeyIndex() != device.keyIndex()
                    || !XEdDSA.verify(
                            accountKey,
                            Bytes.concat(prefix, details, identity),
                            signed.getAccountSignature().toByteArray())
                    || !XEdDSA.verify(
                            identity,
                            Bytes.concat(new byte[] {6, 1}, details, identity, accountKey),
                            signed.getDeviceSignature().toByteArray())) {
                return Optional.of("the <device-identity> is not the sending device's");
            }
            return Optional.empty();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return Optional.of("the <device-identity> does not parse");
        }
    }

    /** The phone whose account a user JID (phone number or LID, any device) names. */
    Optional<Phone> account(Jid user) {
        if (user.isUser()) {
            return accounts.phoneByNumber(user.user());
        }
        return user.isLid() ? accounts.phoneByLidUser(user.user()) : Optional.empty();
    }
}
