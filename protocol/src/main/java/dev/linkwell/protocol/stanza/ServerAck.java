package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.OptionalInt;

/**
 * The server's {@code <ack class="message" id from t [phash] [error]/>} for a message a device sent: the server
 * took it ({@code t} is its timestamp), or refused it with an {@code error} code (a "nack": 463 when the recipient
 * needs a privacy token the sender lacks, the reach-out lock on new contacts; 479 for a malformed field; 400 for a
 * malformed stanza, such as a {@code to} in another namespace than its participants; whatsapp-rust 1489b7da
 * src/client/node_io.rs take_ack_waiter and src/send/mod.rs). A {@code phash} differing from the sender's own
 * means the device lists it used are stale (whatsmeow send.go SendMessage at 33cfac5 reads {@code t},
 * {@code error} and {@code phash}).
 *
 * @param error the refusal code, empty when the server took the message
 * @param phash the server's participant hash, or null
 */
public record ServerAck(String ackClass, String id, String from, long t, OptionalInt error, String phash) {

    public static final String TAG = "ack";

    public static ServerAck from(Node ack) {
        int code = Stanzas.parseInt(ack.attr("error"), 0);
        return new ServerAck(
                ack.attr("class"),
                ack.attr("id"),
                ack.attr("from"),
                Stanzas.parseLong(ack.attr("t"), 0),
                code == 0 ? OptionalInt.empty() : OptionalInt.of(code),
                ack.attr("phash"));
    }

    /** The server took the message. */
    public static ServerAck accepted(String id, String from, long t, String phash) {
        return new ServerAck(Message.TAG, id, from, t, OptionalInt.empty(), phash);
    }

    /** The server refused the message with {@code code}. */
    public static ServerAck refused(String id, String from, long t, int code) {
        return new ServerAck(Message.TAG, id, from, t, OptionalInt.of(code), null);
    }

    public Node toNode() {
        return Node.of(
                TAG,
                Stanzas.attrs(
                        "class",
                        ackClass,
                        "id",
                        id,
                        "from",
                        from,
                        "t",
                        Long.toString(t),
                        "phash",
                        phash,
                        "error",
                        error.isPresent() ? Integer.toString(error.getAsInt()) : null));
    }
}
