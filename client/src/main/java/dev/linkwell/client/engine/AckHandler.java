package dev.linkwell.client.engine;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Ack;
import java.util.Set;

/**
 * Acks every stanza that must be acked, before anything else looks at it: receipt, notification, call and status,
 * in whatsmeow's shape ({@link Ack}). The server replays what was not acked at every reconnect, and ends streams
 * that owe it acks, so this runs even for stanzas nobody handles. Messages ({@code message}, {@code appdata}) are
 * the exception: {@link MessageHandler} answers each once it decrypted it, with a receipt or an ack
 * (whatsmeow message.go decryptMessages), never both.
 */
final class AckHandler {

    /** Stanzas whose answer {@link MessageHandler} sends. */
    private static final Set<String> ANSWERED_LATER = Set.of("message", "appdata");

    private final Connection conn;

    AckHandler(Connection conn) {
        this.conn = conn;
    }

    void ackIfOwed(Node stanza) {
        if (Ack.ACKED_TAGS.contains(stanza.tag()) && !ANSWERED_LATER.contains(stanza.tag())) {
            Ack.forStanza(stanza).ifPresent(ack -> conn.send(ack.toNode()));
        }
    }
}
