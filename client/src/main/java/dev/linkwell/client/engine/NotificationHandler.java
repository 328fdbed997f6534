package dev.linkwell.client.engine;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.stanza.LinkCode;
import dev.linkwell.protocol.stanza.Notification;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <notification>}s (already acked by {@link AckHandler}), by type: {@code encrypt} with a count goes to
 * the prekeys (whatsmeow notification.go handleEncryptNotification), {@code link_code_companion_reg} to the
 * pairing-code flow (whatsmeow handleCodePairNotification); the rest are logged.
 */
final class NotificationHandler {

    private static final Logger log = LoggerFactory.getLogger(NotificationHandler.class);

    private final PreKeyHandler preKeys;
    private final Consumer<Node> linkCode;

    /** @param linkCode takes the phone's link_code_companion_reg notification (ignores it outside code pairing) */
    NotificationHandler(PreKeyHandler preKeys, Consumer<Node> linkCode) {
        this.preKeys = preKeys;
        this.linkCode = linkCode;
    }

    void register(NodeRouter router) {
        router.on("notification").to(this::onNotification);
    }

    private void onNotification(Node node) {
        Notification notification = Notification.from(node);
        String type = notification.type() == null ? "" : notification.type();
        switch (type) {
            case Notification.ENCRYPT -> {
                OptionalInt count = notification.preKeyCount();
                if (count.isPresent()) {
                    preKeys.onLowCount(count.getAsInt());
                }
            }
            case LinkCode.TAG -> linkCode.accept(node);
            default -> log.debug("notification {} not handled", type);
        }
    }
}
