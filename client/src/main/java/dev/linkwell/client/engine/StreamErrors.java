package dev.linkwell.client.engine;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.protocol.binary.Node;
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

    private StreamErrors() {
    }

    public static Disconnect fromStreamError(Node node) {
        String code = node.attr("code");
        Node first = node.children().isEmpty() ? null : node.children().getFirst();
        String childText = first == null ? "" : describe(first);
        if (code != null) {
            int n = parse(code, -1);
            DisconnectReason reason = n < 0 ? DisconnectReason.UNKNOWN : DisconnectReason.forStreamError(n);
            return Disconnect.of(reason, n < 0 ? reason.code() : n, "stream error " + code + childText);
        }
        Node conflict = node.child("conflict");
        if (conflict != null) {
            if ("device_removed".equals(conflict.attr("type"))) {
                return Disconnect.of(DisconnectReason.LOGGED_OUT, "stream error: device removed");
            }
            return Disconnect.of(DisconnectReason.REPLACED, "stream error: connection replaced" + childText);
        }
        return Disconnect.of(DisconnectReason.SERVER_ERROR, "stream error" + (childText.isEmpty() ? " (no code)" : childText));
    }

    /**
     * @param versionSent the WhatsApp Web version our ClientPayload reported, named in the 405 detail
     */
    public static Disconnect fromFailure(Node node, String versionSent) {
        int code = parse(node.attr("reason"), 500);
        DisconnectReason reason = DisconnectReason.forFailure(code);
        String location = node.attr("location");
        String where = location == null ? "" : " (at " + location + ")";
        Map<String, Object> facts = new LinkedHashMap<>();
        String detail = switch (code) {
            case 401 -> "logged out from another device";
            case 403 -> "the primary device was logged out or the account is locked";
            case 406 -> "logged out for an unknown reason (the account may be banned)";
            case 402 -> {
                int banCode = parse(node.attr("code"), 0);
                long expire = parse(node.attr("expire"), 0);
                facts.put("banCode", banCode);
                facts.put("expire", expire);
                yield "account temporarily banned (code " + banCode + "), for " + expire + " s; do not reconnect before";
            }
            case 405 -> "WhatsApp refused client version " + versionSent + " as outdated; set WA_VERSION to a "
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

    private static int parse(String s, int fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
