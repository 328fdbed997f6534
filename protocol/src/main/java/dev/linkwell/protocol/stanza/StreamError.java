package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.List;
import java.util.Map;

/**
 * {@code <stream:error [code]>[child]</stream:error>}: the server ends the stream, and says why with a code
 * ({@code 515} restart after pairing, {@code 401} logged out, {@code 503} unavailable...) or a child
 * ({@code <conflict type="replaced"/>}, {@code <conflict type="device_removed"/>}, {@code <ack class id/>}
 * for a stanza never acked). Sources: whatsmeow connectionevents.go handleStreamError, Baileys 7
 * getErrorCodeFromStreamError; the force-close over an unacked stanza from whatsapp-rust PRs #633 and #648.
 *
 * @param code the {@code code} attribute as sent, or null
 */
public record StreamError(String code, List<Node> children) {

    public static final String TAG = "stream:error";

    public StreamError {
        children = List.copyOf(children);
    }

    public static StreamError code(int code) {
        return new StreamError(Integer.toString(code), List.of());
    }

    /** Another connection of the same device took over (Baileys 440 connectionReplaced). */
    public static StreamError replaced() {
        return new StreamError(null, List.of(conflict("replaced")));
    }

    /** The phone unlinked the device (Baileys 401 loggedOut). */
    public static StreamError deviceRemoved() {
        return new StreamError("401", List.of(conflict("device_removed")));
    }

    /** The client owes an ack for this stanza and was sent it too often. */
    public static StreamError ackOwed(String stanzaTag, String stanzaId) {
        return new StreamError(null, List.of(Node.of("ack", Stanzas.attrs("class", stanzaTag, "id", stanzaId))));
    }

    public static StreamError from(Node node) {
        return new StreamError(
                node.attr("code"), node.contentKind() == Node.ContentKind.CHILDREN ? node.children() : List.of());
    }

    /** The {@code code} as a number; -1 when there is none or it is not a number. */
    public int codeNumber() {
        return Stanzas.parseInt(code, -1);
    }

    /** The first child, or null. */
    public Node firstChild() {
        return children.isEmpty() ? null : children.getFirst();
    }

    /** The {@code type} of a {@code <conflict>} child, or null when there is none. */
    public String conflictType() {
        return children.stream()
                .filter(c -> c.tag().equals("conflict"))
                .findFirst()
                .map(c -> c.attrOr("type", ""))
                .orElse(null);
    }

    public Node toNode() {
        Map<String, String> attrs = Stanzas.attrs("code", code);
        return children.isEmpty() ? Node.of(TAG, attrs) : Node.withChildren(TAG, attrs, children);
    }

    private static Node conflict(String type) {
        return Node.of("conflict", Stanzas.attrs("type", type));
    }
}
