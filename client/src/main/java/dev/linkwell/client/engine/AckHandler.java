package dev.linkwell.client.engine;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Ack;

/**
 * Acks every stanza that must be acked, before anything else looks at it: message, status, appdata,
 * receipt, notification and call, in whatsmeow's shape ({@link Ack}). The server replays what was not acked
 * at every reconnect, and ends streams that owe it acks, so this runs even for stanzas nobody handles.
 */
final class AckHandler {

    private final Connection conn;

    AckHandler(Connection conn) {
        this.conn = conn;
    }

    void ackIfOwed(Node stanza) {
        if (Ack.ACKED_TAGS.contains(stanza.tag())) {
            Ack.forStanza(stanza).ifPresent(ack -> conn.send(ack.toNode()));
        }
    }
}
