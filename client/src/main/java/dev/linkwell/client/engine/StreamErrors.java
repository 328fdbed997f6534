package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Failure;
import dev.linkwell.protocol.stanza.StreamError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps what the server says when it ends a stream to exactly one {@link Disconnect}; the reason
 * comes from {@link DisconnectReason}'s tables, the words and facts from here.
 *
 * <ul>
 *   <li>{@code <stream:error code="N">}: the code attribute wins (Baileys 7 getErrorCodeFromStreamError).
 *       401 means the device was removed (logged out) whatever the child says; 515 asks for a new socket.</li>
 *   <li>{@code <stream:error>} without code: a {@code <conflict type="device_removed"/>} child is a
 *       log-out (whatsmeow), any other {@code conflict} means another client replaced us (440);
 *       anything else is Baileys' badSession 500.</li>
 *   <li>{@code <failure reason="N"/>}: {@link DisconnectReason#forFailure}; 402 carries {@code code}
 *       and {@code expire} (seconds), passed on as {@code banCode} and {@code expire} (whatsmeow
 *       handleConnectFailure, events.TemporaryBan).</li>
 *   <li>{@code <xmlstreamend/>} and a socket closed without either: connection closed (428).</li>
 * </ul>
 */
public final class StreamErrors {

    private StreamErrors() {}

    public static Disconnect fromStreamError(Node node) {
        StreamError error = StreamError.from(node);
        Node first = error.firstChild();
        String childText = first == null ? "" : describe(first);
        if (error.code() != null) {
            int n = error.codeNumber();
            DisconnectReason reason = n < 0 ? DisconnectReason.UNKNOWN : DisconnectReason.forStreamError(n);
            return Disconnect.of(reason, n < 0 ? reason.code() : n, "stream error " + error.code() + childText);
        }
        String conflict = error.conflictType();
        if (conflict != null) {
            if ("device_removed".equals(conflict)) {
                return Disconnect.of(DisconnectReason.LOGGED_OUT, "stream error: device removed");
            }
            return Disconnect.of(DisconnectReason.REPLACED, "stream error: connection replaced" + childText);
        }
        return Disconnect.of(
                DisconnectReason.SERVER_ERROR, "stream error" + (childText.isEmpty() ? " (no code)" : childText));
    }

    /**
     * @param versionSent the WhatsApp Web version our ClientPayload reported, named in the 405 detail
     */
    public static Disconnect fromFailure(Node node, String versionSent) {
        Failure failure = Failure.from(node);
        int code = failure.reason();
        DisconnectReason reason = DisconnectReason.forFailure(code);
        String where = failure.location() == null ? "" : " (at " + failure.location() + ")";
        Map<String, Object> facts = new LinkedHashMap<>();
        String detail = switch (code) {
            case 401 -> "logged out from another device";
            case 403 -> "the primary device was logged out or the account is locked";
            case 406 -> "logged out for an unknown reason (the account may be banned)";
            case 402 -> {
                facts.put("banCode", failure.banCode());
                facts.put("expire", failure.expire());
                yield "account temporarily banned (code " + failure.banCode() + "), for " + failure.expire()
                        + " s; do not reconnect before";
            }
            case 405 ->
                "WhatsApp refused client version " + versionSent + " as outdated; set WA_VERSION to a "
                        + "current WhatsApp Web version (client_revision in https://web.whatsapp.com/sw.js) or unset it "
                        + "so the engine fetches one, then start the session again";
            case 409 -> "WhatsApp rejected the client's user agent";
            default -> "connect failure " + code;
        };
        return new Disconnect(reason, code, detail + where, facts);
    }

    /** The server ended the XML stream ({@code <xmlstreamend/>}, Baileys 'CB:xmlstreamend'). */
    public static Disconnect streamEnd() {
        return Disconnect.of(DisconnectReason.CONNECTION_CLOSED, "stream ended by the server");
    }

    /** The WebSocket closed or failed without a stream error first (Baileys: connectionClosed 428). */
    public static Disconnect socketClosed(String why) {
        return Disconnect.of(DisconnectReason.CONNECTION_CLOSED, why);
    }

    private static String describe(Node child) {
        StringBuilder sb = new StringBuilder(" (").append(child.tag());
        String type = child.attr("type");
        if (type != null) {
            sb.append(' ').append(type);
        }
        return sb.append(')').toString();
    }
}
