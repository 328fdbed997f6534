package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A prekey upload: {@code <iq xmlns="encrypt" type="set"><registration>4-byte BE id</registration><type>05</type>
 * <identity>pub</identity><list><key><id>3-byte BE</id><value>pub</value></key>..</list><skey><id/><value/>
 * <signature/></skey></iq>} (Baileys Utils/signal.js getNextPreKeysNode; whatsmeow prekeys.go uploadPreKeys).
 *
 * @param signedPreKey the {@code <skey>}, when the upload carries a complete one
 */
public record PreKeyUpload(int registrationId, byte[] identity, List<Key> keys, Optional<SignedKey> signedPreKey) {

    /** Signal's key type byte (DJB, Curve25519). */
    public static final byte KEY_TYPE = 5;

    /** One one-time prekey: its 24-bit id and public key. */
    public record Key(int id, byte[] publicKey) {}

    /** The signed prekey: id, public key and its signature by the identity key. */
    public record SignedKey(int id, byte[] publicKey, byte[] signature) {}

    public PreKeyUpload {
        keys = List.copyOf(keys);
    }

    public Node toNode(String id) {
        List<Node> keyNodes = new ArrayList<>(keys.size());
        for (Key k : keys) {
            keyNodes.add(parent(
                    "key", Stanzas.bytes("id", Bytes.bigEndian(k.id(), 3)), Stanzas.bytes("value", k.publicKey())));
        }
        List<Node> children = new ArrayList<>(List.of(
                Stanzas.bytes("registration", Bytes.bigEndian(registrationId, 4)),
                Stanzas.bytes("type", new byte[] {KEY_TYPE}),
                Stanzas.bytes("identity", identity),
                Node.withChildren("list", Map.of(), keyNodes)));
        signedPreKey.ifPresent(s -> children.add(parent(
                "skey",
                Stanzas.bytes("id", Bytes.bigEndian(s.id(), 3)),
                Stanzas.bytes("value", s.publicKey()),
                Stanzas.bytes("signature", s.signature()))));
        return Iq.toServer(id, Iq.SET, "encrypt", children.toArray(Node[]::new));
    }

    /**
     * Reads an upload. A key without id or value, or an {@code <skey>} with all three children of which one
     * is empty, is malformed; an {@code <skey>} missing a child is ignored.
     *
     * @throws ProtocolException when it is malformed (the server answers 400)
     */
    public static PreKeyUpload from(Node iq) {
        List<Key> keys = new ArrayList<>();
        Node list = iq.child("list");
        if (list != null && list.contentKind() == Node.ContentKind.CHILDREN) {
            for (Node key : list.children("key")) {
                byte[] id = Stanzas.childBytes(key, "id");
                byte[] value = Stanzas.childBytes(key, "value");
                if (id == null || value == null) {
                    throw new ProtocolException("prekey upload: a key lacks its id or value");
                }
                keys.add(new Key((int) Bytes.bigEndian(id), value));
            }
        }
        Optional<SignedKey> signed = Optional.empty();
        Node skey = iq.child("skey");
        if (skey != null
                && skey.child("id") != null
                && skey.child("value") != null
                && skey.child("signature") != null) {
            byte[] id = Stanzas.childBytes(skey, "id");
            byte[] value = Stanzas.childBytes(skey, "value");
            byte[] signature = Stanzas.childBytes(skey, "signature");
            if (id == null || value == null || signature == null) {
                throw new ProtocolException("prekey upload: the signed prekey has an empty part");
            }
            signed = Optional.of(new SignedKey((int) Bytes.bigEndian(id), value, signature));
        }
        byte[] registration = Stanzas.childBytes(iq, "registration");
        return new PreKeyUpload(
                registration == null ? 0 : (int) Bytes.bigEndian(registration),
                Stanzas.childBytes(iq, "identity"),
                keys,
                signed);
    }

    private static Node parent(String tag, Node... children) {
        return Node.withChildren(tag, Map.of(), List.of(children));
    }
}
