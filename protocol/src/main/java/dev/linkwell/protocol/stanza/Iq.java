package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import java.util.List;
import java.util.Optional;

/**
 * {@code <iq id type xmlns to|from>children</iq>}: a query ({@code get}/{@code set}) or its answer
 * ({@code result}/{@code error}). A client addresses the server with {@code to="@s.whatsapp.net"}; the server
 * signs its own iqs with {@code from="@s.whatsapp.net"} (Baileys Socket/socket.js query and
 * 'CB:iq,type:set,pair-device'; whatsmeow request.go sendIQ). Answers carry the query's id.
 *
 * @param children the content (empty for none)
 */
public record Iq(String id, String type, String xmlns, String to, String from, List<Node> children) {

    public static final String GET = "get";
    public static final String SET = "set";
    public static final String RESULT = "result";
    public static final String ERROR = "error";

    public Iq {
        children = List.copyOf(children);
    }

    /** A client's query to the server. */
    public static Node toServer(String id, String type, String xmlns, Node... children) {
        return new Iq(id, type, xmlns, Stanzas.SERVER, null, List.of(children)).toNode();
    }

    /** The server's query to a client. */
    public static Node fromServer(String id, String type, String xmlns, Node... children) {
        return new Iq(id, type, xmlns, null, Stanzas.SERVER, List.of(children)).toNode();
    }

    /** The server's result for a client's query. */
    public static Node serverResult(Node query, Node... children) {
        return new Iq(query.attrOr("id", ""), RESULT, null, null, Stanzas.SERVER, List.of(children)).toNode();
    }

    /**
     * The server's error answer; Baileys' assertNodeErrorFree turns the error child into a rejected query
     * instead of a timeout (WABinary/generic-utils.js).
     */
    public static Node serverError(Node query, int code, String text) {
        return new Iq(
                        query.attrOr("id", ""),
                        ERROR,
                        null,
                        null,
                        Stanzas.SERVER,
                        List.of(new IqError(code, text).toNode()))
                .toNode();
    }

    /** A client's (empty) result for the server's query, addressed back to its sender. */
    public static Node clientResult(Node query) {
        return new Iq(query.attr("id"), RESULT, null, query.attrOr("from", Stanzas.SERVER), null, List.of()).toNode();
    }

    /** A client's error answer to the server's query with this id (whatsmeow sendPairError, unhandled iqs). */
    public static Node clientError(String id, String to, int code, String text) {
        return new Iq(
                        id,
                        ERROR,
                        null,
                        to == null ? Stanzas.SERVER : to,
                        null,
                        List.of(new IqError(code, text).toNode()))
                .toNode();
    }

    /** Reads an {@code <iq>}. */
    public static Iq from(Node node) {
        if (!"iq".equals(node.tag())) {
            throw new ProtocolException("not an iq: <" + node.tag() + ">");
        }
        List<Node> children = node.contentKind() == Node.ContentKind.CHILDREN ? node.children() : List.of();
        return new Iq(
                node.attr("id"),
                node.attrOr("type", ""),
                node.attr("xmlns"),
                node.attr("to"),
                node.attr("from"),
                children);
    }

    public boolean isAnswer() {
        return RESULT.equals(type) || ERROR.equals(type);
    }

    /** The error an {@code error} answer carries ({@code <error code text/>}), or empty. */
    public Optional<IqError> error() {
        if (!ERROR.equals(type)) {
            return Optional.empty();
        }
        return Optional.of(children.stream()
                .filter(c -> c.tag().equals("error"))
                .findFirst()
                .map(IqError::from)
                .orElse(new IqError(0, "")));
    }

    /** The first child, or null. */
    public Node child() {
        return children.isEmpty() ? null : children.getFirst();
    }

    public Node toNode() {
        var attrs = Stanzas.attrs("id", id, "type", type, "xmlns", xmlns, "to", to, "from", from);
        return children.isEmpty() ? Node.of("iq", attrs) : Node.withChildren("iq", attrs, children);
    }
}
