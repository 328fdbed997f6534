package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;

/** {@code <error code text/>}, the child of an iq error answer; code 0 when it is missing or not a number. */
public record IqError(int code, String text) {

    public IqError {
        text = text == null ? "" : text;
    }

    static IqError from(Node error) {
        return new IqError(Stanzas.parseInt(error.attr("code"), 0), error.attrOr("text", ""));
    }

    Node toNode() {
        return Node.of("error", Stanzas.attrs("code", Integer.toString(code), "text", text));
    }

    /** {@code "400 bad-request"}, or {@code "error"} when neither is known. */
    public String describe() {
        String s = ((code == 0 ? "" : code + " ") + text).strip();
        return s.isEmpty() ? "error" : s;
    }
}
