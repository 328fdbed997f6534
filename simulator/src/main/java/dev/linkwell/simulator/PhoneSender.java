package dev.linkwell.simulator;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.signal.EncryptedMessage;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.SenderKeyName;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalException;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.RetryReceipt;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What phones send their linked devices, and how the server delivers it. The phone encrypts each message for the
 * one device with its own Signal side ({@link PhoneSignal}): the first message starts the session from the
 * device's keys as the server hands them out (registration id, identity and signed prekey from its registration,
 * one uploaded one-time prekey, each handed out once) and is a {@code pkmsg}, the next are {@code msg}; a group
 * message is an {@code skmsg} under the phone's sender key, preceded for a device that lacks the key by a
 * one-to-one payload carrying its distribution (whatsmeow 33cfac5 send.go sendGroup; message.go decryptMessages
 * reads them in that order). The server keeps the stanza until the device confirms it ({@link Accounts#queue})
 * and sends the same bytes again at each login.
 *
 * <p>A retry receipt from the device makes the phone send the message again, as whatsmeow retry.go
 * handleRetryReceipt does: a new session from the receipt's keys when it carries them, or from freshly handed-out
 * keys when the phone has no session or one with another registration id; a group message comes back as a
 * one-to-one payload holding the sender key distribution and the message; the payload carries the retry's count.
 * The phone remembers the last {@link #REMEMBERED} messages it sent for this, in memory.
 *
 * <p>Fault knobs per device ({@link DeliveryFaults}): corrupt the next payloads, deliver the next messages in
 * reverse order, deliver the next message twice.
 */
final class PhoneSender {

    private static final Logger log = LoggerFactory.getLogger(PhoneSender.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Messages kept to answer retry receipts (whatsmeow keeps 256 in memory; a simulator can afford more). */
    static final int REMEMBERED = 4096;

    /** A message a phone sent one device, kept to answer a retry receipt. */
    private record Sent(
            Phone phone, String deviceJid, Map<String, String> attrs, Message content, String text, String groupJid) {}

    private final Accounts accounts;
    private final Connections connections;
    private final Recorder recorder;
    private final Executor workers;
    private final DeliveryFaults faults = new DeliveryFaults();
    private final Map<String, Sent> sent = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > REMEMBERED;
        }
    };
    /** "phone id / group / device": the device has the phone's sender key for the group. */
    private final Set<String> senderKeyShared = new HashSet<>();

    PhoneSender(Accounts accounts, Connections connections, Recorder recorder, Executor workers) {
        this.accounts = accounts;
        this.connections = connections;
        this.recorder = recorder;
        this.workers = workers;
    }

    DeliveryFaults faults() {
        return faults;
    }

    /**
     * A one-to-one message from {@code phone} to one device: delivered now when the device is logged in (this
     * returns once it went out), otherwise at its next login.
     */
    void sendDirect(Phone phone, String deviceJid, Map<String, String> attrs, Message content, String text) {
        synchronized (phone) {
            Enc payload = encrypt(phone, deviceJid, content);
            deliver(new Sent(phone, deviceJid, attrs, content, text, null), List.of(payload));
        }
        awaitDelivery(deviceJid);
    }

    /** A group message: the sender key's distribution first when the device lacks it, then the {@code skmsg}. */
    void sendGroup(
            Phone phone, String deviceJid, String groupJid, Map<String, String> attrs, Message content, String text) {
        synchronized (phone) {
            List<Enc> payloads = new ArrayList<>(2);
            SenderKeyName ours = new SenderKeyName(groupJid, SignalAddress.of(Jid.parse(phone.senderAddress())));
            String shared = phone.id() + "/" + groupJid + "/" + deviceJid;
            if (!senderKeySharedWith(shared)) {
                payloads.add(encrypt(phone, deviceJid, withSenderKey(Message.getDefaultInstance(), phone, groupJid)));
            }
            byte[] skmsg = phone.signal().groups().encrypt(ours, WhatsAppPadding.pad(content.toByteArray(), RANDOM));
            payloads.add(Enc.of("skmsg", skmsg));
            deliver(new Sent(phone, deviceJid, attrs, content, text, groupJid), payloads);
            synchronized (senderKeyShared) {
                senderKeyShared.add(shared);
            }
        }
        awaitDelivery(deviceJid);
    }

    /** The device asked for a message again; answered on a worker, off the connection's mailbox. */
    void onRetry(String deviceJid, RetryReceipt receipt, SimulatorEvent.Origin origin) {
        workers.execute(() -> {
            try {
                resend(deviceJid, receipt, origin);
            } catch (RuntimeException e) {
                log.warn("resending {} to {} failed: {}", receipt.messageId(), deviceJid, e.toString());
            }
        });
    }

    private void resend(String deviceJid, RetryReceipt receipt, SimulatorEvent.Origin origin) {
        Sent original;
        synchronized (sent) {
            original = sent.get(deviceJid + "/" + receipt.messageId());
        }
        if (original == null) {
            recorder.event(new SimulatorEvent.RetryReceived(origin, receipt.messageId(), receipt.count(), false));
            return;
        }
        Phone phone = original.phone();
        synchronized (phone) {
            SignalAddress device = SignalAddress.of(Jid.parse(deviceJid));
            SessionCipher sessions = phone.signal().sessions();
            if (receipt.keys().isPresent()) {
                sessions.processPreKeyBundle(device, receipt.bundle().orElseThrow());
            } else if (!sessions.hasSession(device)
                    || sessions.remoteRegistrationId(device).orElse(-1) != receipt.registrationId()) {
                sessions.processPreKeyBundle(device, handedOutBundle(deviceJid));
            }
            Message content = original.groupJid() == null
                    ? original.content()
                    : withSenderKey(original.content(), phone, original.groupJid());
            Enc payload = encrypt(phone, deviceJid, content).withCount(receipt.count());
            deliver(original, List.of(payload));
        }
        recorder.event(new SimulatorEvent.RetryReceived(origin, receipt.messageId(), receipt.count(), true));
    }

    /** Queues the stanza (after the faults had their say) and hands it to the device's connection, if any. */
    private void deliver(Sent message, List<Enc> payloads) {
        List<Enc> stored = faults.corruptIfAsked(message.deviceJid(), payloads);
        String id = message.attrs().get("id");
        SimulatorState.PendingMessage pending = new SimulatorState.PendingMessage(
                id,
                message.attrs().get("from"),
                message.text(),
                Long.parseLong(message.attrs().get("t")),
                message.attrs().get("sender_pn"),
                message.attrs(),
                stored);
        accounts.queue(message.deviceJid(), pending);
        synchronized (sent) {
            sent.put(message.deviceJid() + "/" + id, message);
        }
        List<Node> now = faults.schedule(message.deviceJid(), Commands.messageNode(pending));
        if (!now.isEmpty()) {
            connections.of(message.deviceJid()).ifPresent(c -> c.run(() -> now.forEach(c.login::deliver)));
        }
    }

    /** Waits until the device's connection ran what was queued for it (callers off any mailbox only). */
    private void awaitDelivery(String deviceJid) {
        connections.of(deviceJid).ifPresent(c -> c.call(() -> null));
    }

    private Enc encrypt(Phone phone, String deviceJid, Message content) {
        SignalAddress device = SignalAddress.of(Jid.parse(deviceJid));
        SessionCipher sessions = phone.signal().sessions();
        if (!sessions.hasSession(device)) {
            sessions.processPreKeyBundle(device, handedOutBundle(deviceJid));
        }
        EncryptedMessage e = sessions.encrypt(device, WhatsAppPadding.pad(content.toByteArray(), RANDOM));
        return Enc.of(e.type().wireName(), e.body());
    }

    /** The device's keys as the server hands them out: one uploaded one-time prekey each time, while any are left. */
    private PreKeyBundle handedOutBundle(String deviceJid) {
        LinkedDevice d = accounts.device(deviceJid);
        if (d == null) {
            throw SimulatorException.notFound("no linked device " + WaSimulator.quote(deviceJid));
        }
        try {
            IdentityKey identity = IdentityKey.of(d.identityPublicKey());
            return accounts.takePreKey(deviceJid)
                    .map(k -> new PreKeyBundle(
                            d.registrationId(),
                            identity,
                            d.signedPreKeyId(),
                            d.signedPreKeyPublic(),
                            d.signedPreKeySignature(),
                            OptionalInt.of(k.id()),
                            k.publicKey()))
                    .orElseGet(() -> PreKeyBundle.withoutPreKey(
                            d.registrationId(),
                            identity,
                            d.signedPreKeyId(),
                            d.signedPreKeyPublic(),
                            d.signedPreKeySignature()));
        } catch (SignalException e) {
            throw SimulatorException.conflict(
                    "device " + deviceJid + " has keys no session can start from: " + e.getMessage());
        }
    }

    private Message withSenderKey(Message content, Phone phone, String groupJid) {
        SenderKeyName ours = new SenderKeyName(groupJid, SignalAddress.of(Jid.parse(phone.senderAddress())));
        byte[] distribution = phone.signal().groups().distributionMessage(ours);
        return content.toBuilder()
                .setSenderKeyDistributionMessage(Message.SenderKeyDistributionMessage.newBuilder()
                        .setGroupId(groupJid)
                        .setAxolotlSenderKeyDistributionMessage(ByteString.copyFrom(distribution)))
                .build();
    }

    private boolean senderKeySharedWith(String key) {
        synchronized (senderKeyShared) {
            return senderKeyShared.contains(key);
        }
    }
}
