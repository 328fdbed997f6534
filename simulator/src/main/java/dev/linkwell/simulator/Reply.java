package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Iq;

/** A scripted answer for {@link WaSimulator#enqueue}. */
@FunctionalInterface
public interface Reply {

    void answer(Exchange exchange);

    /** Answers with this node. */
    static Reply with(Node node) {
        return exchange -> exchange.reply(node);
    }

    /** Answers an iq with {@code <iq type="error"><error code text/></iq>}. */
    static Reply iqError(int code, String text) {
        return exchange -> {
            if (!(exchange.request() instanceof Request.Stanza stanza)) {
                throw new IllegalStateException("an iq error answers a stanza, not " + exchange.request());
            }
            exchange.reply(Iq.serverError(stanza.node(), code, text));
        };
    }

    /** Ends the stream with this {@code <stream:error>} or {@code <failure>}. */
    static Reply endStream(Node errorOrFailure) {
        return exchange -> exchange.endStream(errorOrFailure);
    }

    /** Cuts the connection. */
    static Reply drop() {
        return Exchange::drop;
    }

    /** Answers nothing. */
    static Reply ignore() {
        return Exchange::ignore;
    }
}
