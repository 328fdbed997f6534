package dev.linkwell.client.engine;

import dev.linkwell.client.message.MessageSource;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.stanza.Receipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol messages our own phone sends this companion after linking, as whatsmeow message.go
 * handleProtocolMessage does at 33cfac5 (only from our own account; Baileys 7 drops them from anyone else too):
 * the app-state sync keys of an {@code appStateSyncKeyShare} are stored; a history-sync notification is
 * acknowledged with a {@code hist_sync} receipt, and its history is not downloaded (a later feature); a peer
 * message ({@code category="peer"}) gets a {@code peer_msg} receipt.
 */
final class PhoneProtocolHandler {

    private static final Logger log = LoggerFactory.getLogger(PhoneProtocolHandler.class);

    private final Connection conn;

    PhoneProtocolHandler(Connection conn) {
        this.conn = conn;
    }

    void handle(Node stanza, MessageSource source, Message message) {
        Message m =
                message.hasDeviceSentMessage() ? message.getDeviceSentMessage().getMessage() : message;
        if (!m.hasProtocolMessage() || !source.fromMe()) {
            return;
        }
        Message.ProtocolMessage protocol = m.getProtocolMessage();
        String id = stanza.attrOr("id", "");
        String own = Jid.parse(conn.creds().me()).toNonAd().toString();
        if (protocol.hasHistorySyncNotification()) {
            log.info(
                    "history sync notification {} ({}) acknowledged; history download is not implemented",
                    id,
                    protocol.getHistorySyncNotification().getSyncType());
            conn.send(Receipt.forProtocolMessage(id, "hist_sync", own));
        }
        if (protocol.hasAppStateSyncKeyShare()) {
            conn.repository()
                    .appStateKeys()
                    .store(protocol.getAppStateSyncKeyShare().getKeysList());
            log.info(
                    "stored {} app-state sync keys from our phone",
                    protocol.getAppStateSyncKeyShare().getKeysCount());
        }
        if ("peer".equals(stanza.attr("category"))) {
            conn.send(Receipt.forProtocolMessage(id, "peer_msg", own));
        }
    }
}
