package dev.linkwell.simulator;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.DecryptedMessage;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalException;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.RetryReceipt;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The phones' side of messages their linked devices send: each phone decrypts the {@code <enc>} meant for it (device
 * 0) with its own Signal side ({@link PhoneSignal}; its session with a companion lives under the companion's
 * phone-number address), unpads it ({@code v="2"}) and keeps what it read, the newest {@link #MAX_KEPT} per phone
 * (in memory). A DeviceSentMessage from the phone's own companion is read as the message it wraps, in the chat it
 * names. When decryption fails, or a test made the phone fail the next one ({@link #failNext}), the phone asks
 * again with a retry receipt: count 1 with its registration id, and from the second try on its keys too, so the
 * sender can start over (whatsmeow retry.go sendRetryReceipt at 33cfac5); after {@link #MAX_RETRIES} it gives up,
 * as whatsmeow does. Thread-safe.
 */
final class PhoneInbox {

    static final int MAX_KEPT = 1_000;
    static final int MAX_RETRIES = 5;

    /** What a phone made of one {@code <enc>}: the message it read, or the retry receipt it answers with. */
    sealed interface Outcome permits Read, Retry, GaveUp {}

    record Read(ReceivedMessage message) implements Outcome {}

    record Retry(RetryReceipt receipt) implements Outcome {}

    record GaveUp(String why) implements Outcome {}

    private final Map<String, Deque<ReceivedMessage>> byPhone = new HashMap<>();
    /** How many of the next messages each phone fails to decrypt, by phone id. */
    private final Map<String, Integer> failNext = new HashMap<>();

    private final Map<String, Integer> retries = new HashMap<>();

    /** The phone fails to decrypt one more of the next messages linked devices send it, and asks for each again. */
    synchronized void failNext(Phone phone) {
        failNext.merge(phone.id(), 1, Integer::sum);
    }

    synchronized List<ReceivedMessage> messages(Phone phone) {
        return List.copyOf(byPhone.getOrDefault(phone.id(), new ArrayDeque<>()));
    }

    /**
     * Phone {@code phone} takes {@code enc} of message {@code id} from companion {@code sender}.
     *
     * @param from  the sender as relayed ({@code lid} namespace when the message was LID-addressed)
     * @param chat  the recipient the message was sent to (a DeviceSentMessage names it itself)
     * @param phoneAddress the phone as the sender addressed it, for the retry receipt's {@code from}
     */
    Outcome receive(
            Phone phone,
            LinkedDevice sender,
            Jid from,
            Jid chat,
            String id,
            String type,
            Enc enc,
            long t,
            Instant now,
            Jid phoneAddress) {
        String key = phone.id() + "/" + id;
        Optional<Message> read = failing(phone) ? Optional.empty() : decrypt(phone, sender, enc);
        if (read.isEmpty()) {
            int count;
            synchronized (this) {
                count = retries.merge(key, 1, Integer::sum);
            }
            if (count >= MAX_RETRIES) {
                return new GaveUp("the phone could not read " + id + " after " + count + " tries");
            }
            boolean own = phone.id().equals(sender.phoneId());
            Optional<RetryReceipt.Keys> keys =
                    count > 1 ? Optional.of(keys(phone.signal().fetchBundle())) : Optional.empty();
            return new Retry(new RetryReceipt(
                    id,
                    phoneAddress.toString(),
                    null,
                    own ? chat.toString() : null,
                    false,
                    count,
                    Long.toString(t),
                    phone.signal().registrationId(),
                    keys));
        }
        synchronized (this) {
            retries.remove(key);
        }
        Message message = read.get();
        boolean fromMe = message.hasDeviceSentMessage();
        Message content = fromMe ? message.getDeviceSentMessage().getMessage() : message;
        String conversation = fromMe
                ? message.getDeviceSentMessage().getDestinationJid()
                : from.toNonAd().toString();
        String text = content.hasConversation()
                ? content.getConversation()
                : content.hasExtendedTextMessage()
                        ? content.getExtendedTextMessage().getText()
                        : null;
        ReceivedMessage received = new ReceivedMessage(id, from.toString(), conversation, fromMe, type, text, now);
        synchronized (this) {
            Deque<ReceivedMessage> inbox = byPhone.computeIfAbsent(phone.id(), k -> new ArrayDeque<>());
            inbox.addLast(received);
            while (inbox.size() > MAX_KEPT) {
                inbox.removeFirst();
            }
        }
        return new Read(received);
    }

    private synchronized boolean failing(Phone phone) {
        Integer left = failNext.get(phone.id());
        if (left == null) {
            return false;
        }
        if (left == 1) {
            failNext.remove(phone.id());
        } else {
            failNext.put(phone.id(), left - 1);
        }
        return true;
    }

    /** The phone's keys for a retry receipt: a one-time prekey handed out for it, and the signed prekey. */
    private static RetryReceipt.Keys keys(PreKeyBundle bundle) {
        return new RetryReceipt.Keys(
                bundle.identityKey().publicKey(),
                bundle.preKeyId().orElseThrow(),
                bundle.preKey(),
                bundle.signedPreKeyId(),
                bundle.signedPreKey(),
                bundle.signedPreKeySignature(),
                null);
    }

    private static Optional<Message> decrypt(Phone phone, LinkedDevice sender, Enc enc) {
        try {
            SignalAddress address = SignalAddress.of(Jid.parse(sender.jid()));
            DecryptedMessage d =
                    phone.signal().sessions().decrypt(address, CiphertextType.fromWireName(enc.type()), enc.body());
            byte[] plain = enc.version() == 3 ? d.plaintext() : WhatsAppPadding.unpad(d.plaintext());
            return Optional.of(Message.parseFrom(plain));
        } catch (SignalException | InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }
}
