package dev.linkwell.simulator;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.stanza.Ack;
import dev.linkwell.protocol.stanza.Receipt;
import dev.linkwell.protocol.stanza.RetryReceipt;
import java.util.Optional;

/**
 * What the client confirms: an {@code <ack>} settles what the {@link AckTracker} owes for that class and id;
 * an ack of a message, or a {@code <receipt>} naming it (also in {@code <list><item id/></list>}, of any type but
 * {@code retry} and {@code server-error}, {@link Receipt}), counts as delivery: the message is not sent again.
 * Baileys 7 and whatsmeow answer a decrypted message with a receipt only, Baileys 6.17.16 with both. A retry
 * receipt goes to the phone that sent the message, which sends it again ({@link PhoneSender}).
 */
final class DeliveryHandler {

    private final ServerConnection conn;
    private final LoginFlow login;

    DeliveryHandler(ServerConnection conn, LoginFlow login) {
        this.conn = conn;
        this.login = login;
    }

    void register(NodeRouter router) {
        router.on("ack").to(this::onAck).on("receipt").to(this::onReceipt);
    }

    private void onReceipt(Node node) {
        Receipt.from(node).deliveredIds().forEach(this::delivered);
        String jid = conn.deviceJid();
        if (jid == null) {
            return;
        }
        Optional<RetryReceipt> retry;
        try {
            retry = RetryReceipt.from(node);
        } catch (ProtocolException e) {
            conn.event(new SimulatorEvent.ProtocolError(conn.origin(), "retry receipt: " + e.getMessage()));
            return;
        }
        retry.ifPresent(r -> conn.server().phoneSender().onRetry(jid, r, conn.origin()));
    }

    private void onAck(Node node) {
        String jid = conn.deviceJid();
        if (jid == null) {
            return;
        }
        Ack ack = Ack.from(node);
        conn.server().acks().acked(jid, ack.ackClass(), ack.id());
        if ("message".equals(ack.ackClass())) {
            delivered(ack.id() == null ? "" : ack.id());
        }
    }

    private void delivered(String messageId) {
        String jid = conn.deviceJid();
        if (jid == null) {
            return;
        }
        conn.server().accounts().settle(jid, messageId);
        conn.server().acks().acked(jid, "message", messageId);
        login.delivered(messageId);
    }
}
