package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;

/**
 * {@code <success t props abprops location lid creation/>}: the login is accepted. Baileys reads
 * {@code lid} and {@code t} (Socket/socket.js 'CB:success'); whatsmeow handleConnectSuccess reads {@code lid}
 * as a JID.
 *
 * @param t        server time, seconds
 * @param lid      the device's LID, or null
 * @param creation when the device was linked, seconds
 */
public record Success(long t, String lid, long creation, String location) {

    public static final String TAG = "success";

    public static Success from(Node node) {
        return new Success(
                Stanzas.parseLong(node.attr("t"), 0),
                node.attr("lid"),
                Stanzas.parseLong(node.attr("creation"), 0),
                node.attr("location"));
    }

    public Node toNode() {
        return Node.of(
                TAG,
                Stanzas.attrs(
                        "t",
                        Long.toString(t),
                        "props",
                        "1",
                        "abprops",
                        "1",
                        "location",
                        location,
                        "lid",
                        lid,
                        "creation",
                        Long.toString(creation)));
    }
}
