package dev.linkwell.client.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.message.MessageContent;
import dev.linkwell.client.message.MessageEvents;
import dev.linkwell.client.message.MessageSource;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.signal.MissingPreKeyException;
import dev.linkwell.protocol.signal.NoSessionException;
import dev.linkwell.protocol.stanza.Ack;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.Message;
import dev.linkwell.protocol.stanza.Receipt;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an inbound {@code <message>} (and {@code <appdata>}, which whatsmeow handles the same way) becomes events,
 * in whatsmeow's order (message.go handleEncryptedMessage and decryptMessages at 33cfac5): learn the LID and
 * phone-number pair the stanza names, decrypt every payload ({@link MessageDecryptor}), act on what our own phone
 * tells us ({@link PhoneProtocolHandler}), surface each user message as a {@code MessageReceived}, then answer:
 *
 * <ul>
 *   <li>everything decrypted (a payload seen before counts): a delivery receipt ({@link Receipt#forMessage}) of
 *       type {@code inactive}, {@code sender} for a message our account sent from another device, {@code peer_msg}
 *       for a peer message; the receipt is the answer, no ack;</li>
 *   <li>a payload failed: a retry receipt ({@link RetryHandler}) and an ack; nothing is surfaced until the resend
 *       decrypts, and once the retries are spent a {@code MessageReceived} of type {@code undecryptable} says that
 *       a message was lost;</li>
 *   <li>nothing this engine decrypts, or a plaintext that is not a Message protobuf: an ack with whatsmeow's error
 *       code.</li>
 * </ul>
 * A {@code <plaintext>} payload (an unpadded Message protobuf, which Baileys reads) is surfaced and acked. A
 * failure of this code is logged and the stanza acked, so the server does not replay it forever (whatsmeow
 * recovers the same way).
 */
final class MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(MessageHandler.class);

    private final Connection conn;
    private final MessageDecryptor decryptor;
    private final RetryHandler retries;
    private final PhoneProtocolHandler phone;

    MessageHandler(Connection conn) {
        this.conn = conn;
        this.decryptor = new MessageDecryptor(conn);
        this.retries = new RetryHandler(conn);
        this.phone = new PhoneProtocolHandler(conn);
    }

    void register(NodeRouter router) {
        router.on(Message.TAG).to(this::onMessage).on("appdata").to(this::onMessage);
    }

    private void onMessage(Node node) {
        try {
            handle(node);
        } catch (RuntimeException e) {
            log.error("{} {} could not be handled", node.tag(), node.attr("id"), e);
            ack(node, Ack.NACK_UNHANDLED_ERROR);
        }
    }

    private void handle(Node node) {
        MessageSource source =
                MessageSource.of(node, conn.creds().me(), conn.creds().lid());
        if (source == null) {
            log.debug("{} {} has no usable sender", node.tag(), node.attr("id"));
            ack(node, Ack.NACK_PARSING_ERROR);
            return;
        }
        conn.lidMap().learn(source.senderLid(), source.senderPhoneNumber());
        Message stanza = new Message(node);
        List<Enc> encs = stanza.encs();
        if (encs.isEmpty()) {
            plaintext(node, source, stanza.plaintext());
            return;
        }
        MessageDecryptor.Outcome outcome = decryptor.decrypt(source, encs);
        for (MessageDecryptor.Part part : outcome.parts()) {
            phone.handle(node, source, part.message());
            if (MessageContent.isUserMessage(part.message())) {
                conn.emit(
                        new EngineEvent.MessageReceived(MessageEvents.of(node, source, conn.lidMap(), part.message())));
            }
        }
        if (outcome.failed() != null) {
            log.warn(
                    "{} payload of message {} from {} did not decrypt: {}",
                    outcome.failed().type(),
                    stanza.id(),
                    source.sender(),
                    outcome.error().getMessage());
            if (!retries.requestAgain(node, outcome.failed(), keysNeeded(outcome))) {
                conn.emit(new EngineEvent.MessageReceived(MessageEvents.undecryptable(node, source, conn.lidMap())));
            }
            ack(node, 0);
            return;
        }
        retries.decrypted(stanza.id());
        if (!outcome.recognized()) {
            ack(node, Ack.NACK_UNRECOGNIZED_STANZA);
        } else if (outcome.unparsed()) {
            ack(node, Ack.NACK_INVALID_PROTOBUF);
        } else {
            conn.send(Receipt.forMessage(node, receiptType(node, source)));
        }
    }

    /**
     * Our keys go with the first retry already when the sender must start over: the pre-key message names a
     * prekey we no longer have, or a group message came without the sender key we lack (whatsmeow's
     * {@code forceIncludeIdentity} for a missing sender key).
     */
    private static boolean keysNeeded(MessageDecryptor.Outcome outcome) {
        boolean directPart =
                outcome.parts().stream().anyMatch(p -> !"skmsg".equals(p.enc().type()));
        return outcome.error() instanceof MissingPreKeyException
                || outcome.error() instanceof NoSessionException
                        && "skmsg".equals(outcome.failed().type())
                        && !directPart;
    }

    /** whatsmeow receipt.go sendMessageReceipt: a client that sent no presence answers {@code inactive}. */
    private static String receiptType(Node node, MessageSource source) {
        if (source.fromMe()) {
            return "peer_msg".equals(node.attr("type")) ? "peer_msg" : "sender";
        }
        return "inactive";
    }

    private void plaintext(Node node, MessageSource source, byte[] plaintext) {
        if (plaintext == null) {
            ack(node, Ack.NACK_UNRECOGNIZED_STANZA);
            return;
        }
        dev.linkwell.protocol.proto.Message content;
        try {
            content = dev.linkwell.protocol.proto.Message.parseFrom(plaintext);
        } catch (InvalidProtocolBufferException e) {
            log.debug("plaintext message {} does not parse: {}", node.attr("id"), e.getMessage());
            ack(node, Ack.NACK_INVALID_PROTOBUF);
            return;
        }
        if (MessageContent.isUserMessage(content)) {
            conn.emit(new EngineEvent.MessageReceived(MessageEvents.of(node, source, conn.lidMap(), content)));
        }
        ack(node, 0);
    }

    private void ack(Node node, int error) {
        Ack.forStanza(node).ifPresent(ack -> conn.send(ack.toNode(error)));
    }
}
