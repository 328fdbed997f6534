package dev.linkwell.client.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.client.message.MessageSource;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.CorruptStateException;
import dev.linkwell.protocol.signal.DuplicateMessageException;
import dev.linkwell.protocol.signal.SenderKeyName;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalException;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import dev.linkwell.protocol.stanza.Enc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts the {@code <enc>} payloads of one message in order, as whatsmeow message.go decryptMessages does at
 * 33cfac5: {@code pkmsg} and {@code msg} with the sender's one-to-one session, {@code skmsg} with the sender key of
 * the group; a sender key distribution found in a one-to-one part is stored before the next part, so the
 * {@code skmsg} after it decrypts. A {@code v="2"} plaintext is unpadded, {@code v="3"} is not padded. A payload
 * that was decrypted before (a redelivery) is skipped. The first payload that fails stops the stanza.
 *
 * <p>Which address the sender's session lives under: its LID whenever it is known, so the same person keeps one
 * session however the server names them (whatsmeow decryptMessages: {@code senderEncryptionJID}, and
 * {@code MigratePNToLID}, which moves a session kept under the phone number to the LID once the LID is learned).
 */
final class MessageDecryptor {

    private static final Logger log = LoggerFactory.getLogger(MessageDecryptor.class);

    private final Connection conn;

    MessageDecryptor(Connection conn) {
        this.conn = conn;
    }

    /** One decrypted payload. */
    record Part(Enc enc, Message message) {}

    /**
     * What came out of a stanza's payloads.
     *
     * @param parts          the payloads that decrypted and parsed, in order
     * @param failed         the payload that did not decrypt, or null
     * @param error          why it did not
     * @param unparsed       a payload decrypted to something that is not a Message protobuf
     * @param recognized     at least one payload is of a kind this engine decrypts
     */
    record Outcome(List<Part> parts, Enc failed, SignalException error, boolean unparsed, boolean recognized) {}

    Outcome decrypt(MessageSource source, List<Enc> encs) {
        SignalAddress sender = sessionAddress(source);
        List<Part> parts = new ArrayList<>();
        boolean unparsed = false;
        boolean recognized = false;
        for (Enc enc : encs) {
            byte[] plaintext;
            try {
                Optional<byte[]> decrypted = decryptOne(source, sender, enc);
                if (decrypted.isEmpty()) {
                    continue;
                }
                recognized = true;
                plaintext = enc.version() == 3 ? decrypted.get() : WhatsAppPadding.unpad(decrypted.get());
            } catch (DuplicateMessageException e) {
                log.debug("{} payload of {} was decrypted before: {}", enc.type(), sender, e.getMessage());
                recognized = true;
                continue;
            } catch (CorruptStateException e) {
                log.warn("stored Signal state for {} is damaged and is dropped: {}", sender, e.getMessage());
                forget(source, sender, enc);
                return new Outcome(parts, enc, e, unparsed, true);
            } catch (SignalException e) {
                return new Outcome(parts, enc, e, unparsed, true);
            }
            Message message;
            try {
                message = Message.parseFrom(plaintext);
            } catch (InvalidProtocolBufferException e) {
                log.warn("a decrypted {} payload from {} is not a Message protobuf", enc.type(), sender);
                unparsed = true;
                continue;
            }
            storeSenderKey(source, sender, message);
            parts.add(new Part(enc, message));
        }
        return new Outcome(parts, null, null, unparsed, recognized);
    }

    /** The plaintext, or empty for a payload kind this engine does not decrypt. */
    private Optional<byte[]> decryptOne(MessageSource source, SignalAddress sender, Enc enc) {
        Signal signal = conn.signal();
        return switch (enc.type()) {
            case "pkmsg", "msg" ->
                Optional.of(signal.sessions()
                        .decrypt(sender, CiphertextType.fromWireName(enc.type()), enc.body())
                        .plaintext());
            case "skmsg" -> {
                if (!source.group()) {
                    log.warn("skmsg outside a group from {}", sender);
                    yield Optional.empty();
                }
                yield Optional.of(
                        signal.groups().decrypt(new SenderKeyName(source.chat().toString(), sender), enc.body()));
            }
            default -> {
                log.debug("payload of type {} from {} not handled", enc.type(), sender);
                yield Optional.empty();
            }
        };
    }

    /** A sender key distribution (first unwrapping a copy our phone sent) is stored for the group it came in. */
    private void storeSenderKey(MessageSource source, SignalAddress sender, Message message) {
        Message m =
                message.hasDeviceSentMessage() ? message.getDeviceSentMessage().getMessage() : message;
        if (!m.hasSenderKeyDistributionMessage()) {
            return;
        }
        if (!source.group()) {
            log.warn("sender key distribution outside a group from {}", sender);
            return;
        }
        try {
            conn.signal()
                    .groups()
                    .processDistributionMessage(
                            new SenderKeyName(source.chat().toString(), sender),
                            m.getSenderKeyDistributionMessage()
                                    .getAxolotlSenderKeyDistributionMessage()
                                    .toByteArray());
            log.debug("sender key of {} in {} stored", sender, source.chat());
        } catch (SignalException e) {
            log.warn("sender key distribution from {} refused: {}", sender, e.getMessage());
        }
    }

    /** The record that does not parse goes, so the sender's resend can start afresh. */
    private void forget(MessageSource source, SignalAddress sender, Enc enc) {
        if ("skmsg".equals(enc.type())) {
            conn.signal()
                    .groups()
                    .deleteSenderKey(new SenderKeyName(source.chat().toString(), sender));
        } else {
            conn.signal().sessions().deleteSession(sender);
        }
    }

    /**
     * The sender's session address: its LID form when the sender is a phone number whose LID is known (from the
     * stanza or learned before), a session kept under the phone number moved there first ({@link SessionAddresses},
     * the same rule sending follows).
     */
    SignalAddress sessionAddress(MessageSource source) {
        return SessionAddresses.of(
                source.sender(),
                source.senderLid(),
                conn.lidMap(),
                conn.signal().store());
    }
}
