package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;

/** What a client asks of the server, as a {@link Dispatcher} sees it. */
public sealed interface Request {

    /** The connection it came on. */
    long connectionId();

    /** The logged-in device it came from, or null before login. */
    String deviceJid();

    /** A node the client sent (after the handshake). */
    record Stanza(long connectionId, String deviceJid, Node node) implements Request {

        /** Whether it is an iq with this xmlns whose first child has this tag. */
        public boolean isIq(String xmlns, String firstChild) {
            Node child = node.contentKind() == Node.ContentKind.CHILDREN
                            && !node.children().isEmpty()
                    ? node.children().getFirst()
                    : null;
            return "iq".equals(node.tag())
                    && xmlns.equals(node.attr("xmlns"))
                    && child != null
                    && child.tag().equals(firstChild);
        }
    }

    /**
     * A linked device logs in (its payload named it and its noise key matched); WhatsApp answers
     * {@code <success>}, or {@code <failure>} in its place.
     */
    record Login(long connectionId, String deviceJid) implements Request {}
}
