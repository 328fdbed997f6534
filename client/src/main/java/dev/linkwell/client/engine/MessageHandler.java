package dev.linkwell.client.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.message.MessageEvents;
import dev.linkwell.client.message.MessageSource;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.stanza.Message;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an inbound message becomes an event. {@code <message>}, and the top-level {@code <status>} and
 * {@code <appdata>} whatsmeow also handles as messages (client.go nodeHandlers), arrive here already acked.
 * What the stanza says about LID and phone-number addresses is learned into the session's lid-map; a
 * {@code <plaintext>} payload (an unpadded Message protobuf, as Baileys reads it) becomes a
 * {@code MessageReceived} event. {@code <enc>} payloads need Signal sessions, which are not built yet.
 */
final class MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(MessageHandler.class);

    private final Connection conn;

    MessageHandler(Connection conn) {
        this.conn = conn;
    }

    void register(NodeRouter router) {
        router.on(Message.TAG)
                .to(this::onMessage)
                .on("status")
                .to(this::onMessage)
                .on("appdata")
                .to(this::onMessage);
    }

    private void onMessage(Node node) {
        MessageSource source =
                MessageSource.of(node, conn.creds().me(), conn.creds().lid());
        if (source == null) {
            log.debug("{} {} has no usable sender", node.tag(), node.attr("id"));
            return;
        }
        conn.lidMap().learn(source.senderLid(), source.senderPhoneNumber());
        Message message = new Message(node);
        byte[] plaintext = message.plaintext();
        if (plaintext == null) {
            if (message.encrypted()) {
                log.debug("encrypted message {} not decrypted (Signal sessions not implemented)", message.id());
            }
            return;
        }
        dev.linkwell.protocol.proto.Message content;
        try {
            content = dev.linkwell.protocol.proto.Message.parseFrom(plaintext);
        } catch (InvalidProtocolBufferException e) {
            log.debug("plaintext message {} does not parse: {}", message.id(), e.getMessage());
            return;
        }
        Map<String, Object> data = MessageEvents.of(node, source, conn.lidMap(), content);
        conn.emit(new EngineEvent.MessageReceived(data));
    }
}
