package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;

/**
 * How many one-time prekeys the server holds for the device: {@code <iq xmlns="encrypt" type="get"><count/>
 * </iq>} answered with {@code <count value=N/>} (Baileys Socket/socket.js getAvailablePreKeysOnServer;
 * whatsmeow prekeys.go getServerPreKeyCount).
 */
public final class PreKeyCount {

    private PreKeyCount() {}

    public static Node query(String id) {
        return Iq.toServer(id, Iq.GET, "encrypt", Node.of("count"));
    }

    public static Node answer(Node query, int count) {
        return Iq.serverResult(query, Node.of("count", Stanzas.attrs("value", Integer.toString(count))));
    }

    /** The server's count from an answer; -1 when it is not there. */
    public static int in(Node answer) {
        Node count = answer.child("count");
        return count == null ? -1 : Stanzas.parseInt(count.attr("value"), -1);
    }
}
