package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.PreKeyBundle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A prekey bundle fetch, to start Signal sessions with devices we have none with: {@code <iq xmlns="encrypt"
 * type="get"><key><user jid="device jid" [reason="identity"]/>..</key></iq>} (whatsmeow prekeys.go fetchPreKeys
 * at 33cfac5; Baileys 7.0.0-rc14 Socket/messages-send.js assertSessions, which adds {@code reason="identity"} when
 * it forces a new session). The answer lists one {@code <user jid>} per device: {@code <registration>} (4 bytes
 * big-endian), {@code <type>05</type>}, {@code <identity>} (32 bytes), {@code <skey><id/><value/><signature/></skey>}
 * and, while the server holds one-time prekeys for the device, one {@code <key><id/><value/></key>} that the
 * server then forgets (whatsmeow nodeToPreKeyBundle, Baileys Utils/signal.js parseAndInjectE2ESessions; both also
 * accept the key parts inside a {@code <keys>} child). A device the server refuses answers {@code <user jid><error
 * code text/></user>} in place of its keys, 406 meaning the device is not registered (whatsapp-rust 1489b7da
 * wacore/src/prekeys.rs parse_prekeys_response).
 */
public final class PreKeyFetch {

    private PreKeyFetch() {}

    /** What the server answered for one device: a bundle, or the error it gave. */
    public record Result(String jid, Optional<PreKeyBundle> bundle, Optional<IqError> error) {}

    /** A client's fetch of the bundles of these devices. */
    public static Node query(String id, List<Jid> devices, boolean identityReason) {
        List<Node> users = devices.stream()
                .map(d -> Node.of(
                        "user", Stanzas.attrs("jid", d.toString(), "reason", identityReason ? "identity" : null)))
                .toList();
        return Iq.toServer(id, Iq.GET, "encrypt", Node.withChildren("key", Map.of(), users));
    }

    /** Whether the iq is a prekey fetch (an {@code encrypt} get whose first child is {@code <key>}). */
    public static boolean is(Node iq) {
        Node first = Stanzas.firstChild(iq);
        return "encrypt".equals(iq.attr("xmlns"))
                && Iq.GET.equals(iq.attr("type"))
                && first != null
                && first.tag().equals("key");
    }

    /** The {@code jid} of every {@code <user>} the fetch names (null for a user without one), for the server. */
    public static List<String> requested(Node iq) {
        Node key = iq.child("key");
        List<String> jids = new ArrayList<>();
        if (key != null && key.contentKind() == Node.ContentKind.CHILDREN) {
            for (Node user : key.children("user")) {
                jids.add(user.attr("jid"));
            }
        }
        return jids;
    }

    /** The server's {@code <user>} with a device's bundle (32-byte keys, as whatsmeow requires). */
    public static Node bundleNode(String jid, PreKeyBundle bundle) {
        List<Node> parts = new ArrayList<>(List.of(
                Stanzas.bytes("registration", Bytes.bigEndian(bundle.registrationId(), 4)),
                Stanzas.bytes("type", new byte[] {PreKeyUpload.KEY_TYPE}),
                Stanzas.bytes("identity", bundle.identityKey().publicKey()),
                Node.withChildren(
                        "skey",
                        Map.of(),
                        List.of(
                                Stanzas.bytes("id", Bytes.bigEndian(bundle.signedPreKeyId(), 3)),
                                Stanzas.bytes("value", bundle.signedPreKey()),
                                Stanzas.bytes("signature", bundle.signedPreKeySignature())))));
        if (bundle.preKeyId().isPresent()) {
            parts.add(Node.withChildren(
                    "key",
                    Map.of(),
                    List.of(
                            Stanzas.bytes(
                                    "id", Bytes.bigEndian(bundle.preKeyId().getAsInt(), 3)),
                            Stanzas.bytes("value", bundle.preKey()))));
        }
        return Node.withChildren("user", Stanzas.attrs("jid", jid), parts);
    }

    /** The server's {@code <user>} for a device it refuses. */
    public static Node errorNode(String jid, int code, String text) {
        return Node.withChildren("user", Stanzas.attrs("jid", jid), List.of(new IqError(code, text).toNode()));
    }

    /** The server's answer, {@code <iq type="result"><list>users</list></iq>}. */
    public static Node answer(Node query, List<Node> users) {
        return Iq.serverResult(query, Node.withChildren("list", Map.of(), users));
    }

    /**
     * Reads an answer. A {@code <user>} whose bundle is malformed becomes a result with a 500 error naming what
     * is wrong, so one bad device does not cost the others.
     *
     * @throws ProtocolException when the answer has no {@code <list>}
     */
    public static Map<String, Result> results(Node answer) {
        Node list = answer.child("list");
        if (list == null) {
            throw new ProtocolException("prekey fetch answer without <list>");
        }
        Map<String, Result> out = new LinkedHashMap<>();
        for (Node user : list.contentKind() == Node.ContentKind.CHILDREN ? list.children("user") : List.<Node>of()) {
            String jid = user.attr("jid");
            if (jid == null) {
                continue;
            }
            Node error = user.child("error");
            if (error != null) {
                out.put(jid, new Result(jid, Optional.empty(), Optional.of(IqError.from(error))));
                continue;
            }
            try {
                out.put(jid, new Result(jid, Optional.of(bundle(user)), Optional.empty()));
            } catch (RuntimeException e) {
                out.put(
                        jid,
                        new Result(
                                jid, Optional.empty(), Optional.of(new IqError(500, "bad bundle: " + e.getMessage()))));
            }
        }
        return out;
    }

    /** The bundle of one {@code <user>} (or of a retry receipt's {@code <keys>} with its {@code <registration>}). */
    public static PreKeyBundle bundle(Node user) {
        byte[] registration = Stanzas.childBytes(user, "registration");
        if (registration == null || registration.length != 4) {
            throw new ProtocolException("registration id must be 4 bytes");
        }
        Node keys = user.child("keys") != null ? user.child("keys") : user;
        byte[] identity = exact(Stanzas.childBytes(keys, "identity"), 32, "identity key");
        Node skey = keys.child("skey");
        if (skey == null) {
            throw new ProtocolException("no signed prekey");
        }
        int signedId = id(skey);
        byte[] signed = exact(Stanzas.childBytes(skey, "value"), 32, "signed prekey");
        byte[] signature = exact(Stanzas.childBytes(skey, "signature"), 64, "signed prekey signature");
        Node key = keys.child("key");
        OptionalInt preKeyId = key == null ? OptionalInt.empty() : OptionalInt.of(id(key));
        byte[] preKey = key == null ? null : exact(Stanzas.childBytes(key, "value"), 32, "one-time prekey");
        return new PreKeyBundle(
                (int) Bytes.bigEndian(registration),
                IdentityKey.of(identity),
                signedId,
                signed,
                signature,
                preKeyId,
                preKey);
    }

    private static int id(Node key) {
        return (int) Bytes.bigEndian(exact(Stanzas.childBytes(key, "id"), 3, "key id"));
    }

    private static byte[] exact(byte[] value, int length, String what) {
        if (value == null || value.length != length) {
            throw new ProtocolException(
                    what + " must be " + length + " bytes, got " + (value == null ? "none" : value.length));
        }
        return value;
    }
}
