package dev.linkwell.client.engine;

import dev.linkwell.client.DisconnectReason;
import dev.linkwell.protocol.binary.Node;

/**
 * Maps what the server says when it ends a stream to exactly one {@link DisconnectReason}.
 *
 * <p>Rules (Baileys 6.17.16 Utils/generics.js getErrorCodeFromStreamError and Socket/socket.js
 * 'CB:failure'; whatsmeow connectionevents.go handleStreamError / handleConnectFailure):
 * <ul>
 *   <li>{@code <stream:error code="N">}: the code attribute wins. 401 means the device was removed
 *       (logged out) whatever the child says; 515 asks for a new socket.</li>
 *   <li>{@code <stream:error>} without code: a {@code <conflict type="device_removed"/>} child is a
 *       log-out (whatsmeow), any other {@code conflict} means another client replaced us (440);
 *       anything else is Baileys' badSession 500.</li>
 *   <li>{@code <failure reason="N"/>}: the reason attribute (default 500) as a code.</li>
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
            DisconnectReason reason = n < 0 ? DisconnectReason.UNKNOWN : DisconnectReason.fromCode(n);
            return Disconnect.of(reason, "stream error " + code + childText);
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

    public static Disconnect fromFailure(Node node) {
        int reason = parse(node.attr("reason"), 500);
        String location = node.attr("location");
        return Disconnect.of(DisconnectReason.fromCode(reason),
                "connect failure " + reason + (location == null ? "" : " at " + location));
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
