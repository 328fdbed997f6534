package dev.linkwell.service.engine.baileys;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.engine.StreamErrors;
import dev.linkwell.protocol.binary.Node;

/**
 * The one table from how a Baileys socket closed to a {@link Disconnect}, so both engines follow the same
 * lifecycle rules. Baileys 7.0.0-rc14 reduces what the server said to a status code in a Boom error
 * ({@code Socket/socket.js} end(), 'CB:stream:error', 'CB:failure'); the host also passes on the server's node
 * itself, and when there is one it is mapped exactly as the native engine maps it ({@link StreamErrors}).
 *
 * <table>
 *   <caption>How a close maps, first matching row wins</caption>
 *   <tr><th>Baileys close</th><th>Disconnect</th></tr>
 *   <tr><td>the server's {@code <failure reason>} node</td><td>{@link StreamErrors#fromFailure}: 401/403/406 logged
 *       out (purge), 402 temporary ban with {@code banCode} and {@code expire}, 405 client outdated, 409, 500/503
 *       reconnect</td></tr>
 *   <tr><td>the server's {@code <stream:error>} node</td><td>{@link StreamErrors#fromStreamError}: 515 restart,
 *       401 or {@code conflict device_removed} logged out, 440 / {@code conflict} replaced, others reconnect</td></tr>
 *   <tr><td>"Connection Failure" without node</td><td>{@link DisconnectReason#forFailure}(code)</td></tr>
 *   <tr><td>"Stream Errored (...)" without node</td><td>{@link DisconnectReason#forStreamError}(code)</td></tr>
 *   <tr><td>"QR refs attempts ended" (Baileys' 408)</td><td>{@code qr_refs_exhausted} (stop, like the native
 *       engine, not a timeout to retry)</td></tr>
 *   <tr><td>"WebSocket Error (...)": the upgrade or the socket failed (Baileys getCodeFromWSError puts an HTTP
 *       status or 408 there)</td><td>{@code timed_out} for 408, else {@code unknown}: both reconnect; an HTTP 401
 *       or 403 on the upgrade is not a logout</td></tr>
 *   <tr><td>no error (the socket was ended without one)</td><td>{@code connection_closed} (reconnect)</td></tr>
 *   <tr><td>411 multi-device mismatch ({@code <ib><downgrade_webclient/>})</td><td>{@code connect_failure} (stop)</td></tr>
 *   <tr><td>any other code: 515, 401 (our own logout), 440, 408 (connection lost, timed out, network errors),
 *       428 (closed), 500 (Baileys' badSession, WebSocket errors), 503</td>
 *       <td>{@link DisconnectReason#forStreamError}(code): Baileys numbers these as stream errors; unknown codes
 *       reconnect</td></tr>
 * </table>
 */
final class BaileysDisconnects {

    static final String QR_REFS_ENDED = "QR refs attempts ended";
    static final String CONNECTION_FAILURE = "Connection Failure";
    static final String STREAM_ERRORED = "Stream Errored";
    static final String WEBSOCKET_ERROR = "WebSocket Error";
    static final int MULTIDEVICE_MISMATCH = 411;

    private BaileysDisconnects() {}

    /**
     * @param code        the Boom's status code, or null when the socket ended without an error
     * @param message     the Boom's message, or null
     * @param serverNode  the {@code <failure>} or {@code <stream:error>} node the server ended the stream with, or null
     * @param versionSent the WhatsApp Web version the socket reported, named in a 405's detail
     */
    static Disconnect of(Integer code, String message, Node serverNode, String versionSent) {
        String words = message == null ? "" : message;
        if (serverNode != null && serverNode.tag().equals("failure")) {
            return StreamErrors.fromFailure(serverNode, versionSent);
        }
        if (serverNode != null && serverNode.tag().equals("stream:error")) {
            return StreamErrors.fromStreamError(serverNode);
        }
        if (code != null && words.equals(CONNECTION_FAILURE)) {
            return Disconnect.of(DisconnectReason.forFailure(code), code, "connect failure " + code);
        }
        if (code != null && words.startsWith(STREAM_ERRORED)) {
            return Disconnect.of(DisconnectReason.forStreamError(code), code, "stream error " + code + ": " + words);
        }
        if (words.equals(QR_REFS_ENDED)) {
            return Disconnect.of(DisconnectReason.QR_REFS_EXHAUSTED, "nobody scanned any of the QR codes in time");
        }
        if (code != null && words.startsWith(WEBSOCKET_ERROR)) {
            return Disconnect.of(
                    code == DisconnectReason.TIMED_OUT.code() ? DisconnectReason.TIMED_OUT : DisconnectReason.UNKNOWN,
                    code,
                    words);
        }
        if (code == null) {
            return Disconnect.of(DisconnectReason.CONNECTION_CLOSED, "the Baileys host ended the socket");
        }
        if (code == MULTIDEVICE_MISMATCH) {
            return Disconnect.of(
                    DisconnectReason.CONNECT_FAILURE,
                    code,
                    "WhatsApp says this account cannot use linked devices (Baileys: multi-device mismatch)");
        }
        return Disconnect.of(
                DisconnectReason.forStreamError(code), code, words.isEmpty() ? "closed with " + code : words);
    }
}
