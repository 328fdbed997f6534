package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.PreKeyBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A retry receipt: the device could not decrypt a message and asks its sender for it again.
 *
 * <pre>
 *   &lt;receipt id to [participant] [recipient] type="retry" [category="peer"]&gt;
 *     &lt;retry count id t v="1"/&gt;
 *     &lt;registration&gt;4-byte big-endian registration id&lt;/registration&gt;
 *     [&lt;keys&gt;&lt;type&gt;05&lt;/type&gt;&lt;identity/&gt;&lt;key&gt;&lt;id/&gt;&lt;value/&gt;&lt;/key&gt;
 *             &lt;skey&gt;&lt;id/&gt;&lt;value/&gt;&lt;signature/&gt;&lt;/skey&gt;&lt;device-identity/&gt;&lt;/keys&gt;]
 *   &lt;/receipt&gt;
 * </pre>
 * The shape is whatsmeow's (retry.go sendRetryReceipt at 33cfac5; Baileys 7.0.0-rc14 Socket/messages-recv.js
 * sendRetryRequest agrees): {@code id} and {@code retry id} name the message, {@code to}, {@code participant} and
 * {@code recipient} are copied from it, {@code t} is its timestamp; keys (a fresh one-time prekey, the signed
 * prekey, and the device identity) come from the second retry on, so the sender can start a new session.
 *
 * @param to          the message's {@code from}
 * @param participant the message's {@code participant}, or null
 * @param recipient   the message's {@code recipient}, or null
 * @param peer        the message was a peer message from our own phone ({@code category="peer"})
 * @param count       this retry's number, from 1
 * @param timestamp   the message's {@code t}, or null
 * @param keys        a bundle to start a new session with, or empty
 */
public record RetryReceipt(
        String messageId,
        String to,
        String participant,
        String recipient,
        boolean peer,
        int count,
        String timestamp,
        int registrationId,
        Optional<Keys> keys) {

    /**
     * @param identity       our identity public key (32 bytes)
     * @param preKeyId       a fresh one-time prekey: id and public key
     * @param signedPreKeyId our signed prekey: id, public key, signature
     * @param deviceIdentity our ADVSignedDeviceIdentity, as stored at pairing
     */
    public record Keys(
            byte[] identity,
            int preKeyId,
            byte[] preKey,
            int signedPreKeyId,
            byte[] signedPreKey,
            byte[] signedPreKeySignature,
            byte[] deviceIdentity) {
        public Keys {
            identity = identity.clone();
            preKey = preKey.clone();
            signedPreKey = signedPreKey.clone();
            signedPreKeySignature = signedPreKeySignature.clone();
            deviceIdentity = deviceIdentity == null ? null : deviceIdentity.clone();
        }

        @Override
        public byte[] identity() {
            return identity.clone();
        }

        @Override
        public byte[] preKey() {
            return preKey.clone();
        }

        @Override
        public byte[] signedPreKey() {
            return signedPreKey.clone();
        }

        @Override
        public byte[] signedPreKeySignature() {
            return signedPreKeySignature.clone();
        }

        @Override
        public byte[] deviceIdentity() {
            return deviceIdentity == null ? null : deviceIdentity.clone();
        }
    }

    public RetryReceipt {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(keys, "keys");
    }

    /** The asking device's bundle from the receipt's keys, to start a new session with; empty without keys. */
    public Optional<PreKeyBundle> bundle() {
        return keys.map(k -> new PreKeyBundle(
                registrationId,
                IdentityKey.of(k.identity()),
                k.signedPreKeyId(),
                k.signedPreKey(),
                k.signedPreKeySignature(),
                OptionalInt.of(k.preKeyId()),
                k.preKey()));
    }

    public Node toNode() {
        List<Node> children = new ArrayList<>();
        children.add(Node.of(
                "retry", Stanzas.attrs("count", Integer.toString(count), "id", messageId, "t", timestamp, "v", "1")));
        children.add(Stanzas.bytes("registration", Bytes.bigEndian(registrationId, 4)));
        keys.ifPresent(k -> {
            List<Node> parts = new ArrayList<>(List.of(
                    Stanzas.bytes("type", new byte[] {PreKeyUpload.KEY_TYPE}),
                    Stanzas.bytes("identity", k.identity()),
                    parent(
                            "key",
                            Stanzas.bytes("id", Bytes.bigEndian(k.preKeyId(), 3)),
                            Stanzas.bytes("value", k.preKey())),
                    parent(
                            "skey",
                            Stanzas.bytes("id", Bytes.bigEndian(k.signedPreKeyId(), 3)),
                            Stanzas.bytes("value", k.signedPreKey()),
                            Stanzas.bytes("signature", k.signedPreKeySignature()))));
            if (k.deviceIdentity() != null) {
                parts.add(Stanzas.bytes("device-identity", k.deviceIdentity()));
            }
            children.add(Node.withChildren("keys", Map.of(), parts));
        });
        return Node.withChildren(
                "receipt",
                Stanzas.attrs(
                        "id",
                        messageId,
                        "to",
                        to,
                        "participant",
                        participant,
                        "recipient",
                        recipient,
                        "type",
                        "retry",
                        "category",
                        peer ? "peer" : null),
                children);
    }

    /**
     * Reads a retry receipt as the server relays it to the sender ({@code from} takes the place of {@code to}).
     *
     * @return empty when {@code receipt} is not a retry receipt
     * @throws ProtocolException when it is one but lacks its {@code <retry>} or its registration id, or its keys
     *                           are incomplete
     */
    public static Optional<RetryReceipt> from(Node receipt) {
        if (!"receipt".equals(receipt.tag()) || !"retry".equals(receipt.attr("type"))) {
            return Optional.empty();
        }
        Node retry = receipt.child("retry");
        byte[] registration = Stanzas.childBytes(receipt, "registration");
        if (retry == null || registration == null || registration.length != 4) {
            throw new ProtocolException("retry receipt without <retry> or a 4-byte <registration>");
        }
        String id = retry.attr("id") != null ? retry.attr("id") : receipt.requireAttr("id");
        String peerAddress = receipt.attr("from") != null ? receipt.attr("from") : receipt.attrOr("to", "");
        return Optional.of(new RetryReceipt(
                id,
                peerAddress,
                receipt.attr("participant"),
                receipt.attr("recipient"),
                "peer".equals(receipt.attr("category")),
                Stanzas.parseInt(retry.attr("count"), 1),
                retry.attr("t"),
                (int) Bytes.bigEndian(registration),
                keys(receipt.child("keys"))));
    }

    private static Optional<Keys> keys(Node keys) {
        if (keys == null) {
            return Optional.empty();
        }
        Node key = keys.child("key");
        Node skey = keys.child("skey");
        byte[] identity = Stanzas.childBytes(keys, "identity");
        byte[] preKeyId = Stanzas.childBytes(key, "id");
        byte[] preKey = Stanzas.childBytes(key, "value");
        byte[] signedId = Stanzas.childBytes(skey, "id");
        byte[] signed = Stanzas.childBytes(skey, "value");
        byte[] signature = Stanzas.childBytes(skey, "signature");
        if (identity == null
                || preKeyId == null
                || preKey == null
                || signedId == null
                || signed == null
                || signature == null) {
            throw new ProtocolException("retry receipt keys are incomplete");
        }
        return Optional.of(new Keys(
                identity,
                (int) Bytes.bigEndian(preKeyId),
                preKey,
                (int) Bytes.bigEndian(signedId),
                signed,
                signature,
                Stanzas.childBytes(keys, "device-identity")));
    }

    private static Node parent(String tag, Node... children) {
        return Node.withChildren(tag, Map.of(), List.of(children));
    }
}
