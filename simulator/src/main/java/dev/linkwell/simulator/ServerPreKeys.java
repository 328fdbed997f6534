package dev.linkwell.simulator;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.PreKeyCount;
import dev.linkwell.protocol.stanza.PreKeyFetch;
import dev.linkwell.protocol.stanza.PreKeyUpload;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code encrypt} iqs: how many prekeys the server holds for the device ({@code <count/>};
 * {@link SimulatorConfig#initialPreKeyCount()} before any upload), a prekey upload ({@link PreKeyUpload}; stored
 * per device, the newest {@link WaSimulator#MAX_PREKEYS_PER_DEVICE} kept, the signed prekey updated; after the
 * device's first upload its phone sends it what a phone sends a new companion, {@link PhoneMessages#afterLink}),
 * the {@code <digest/>} of the key bundle, and the fetch of other devices' bundles ({@code <key>}, {@link
 * KeyBundles}). The count is what the server still holds: uploaded, not handed out.
 */
final class ServerPreKeys {

    private final ServerConnection conn;

    ServerPreKeys(ServerConnection conn) {
        this.conn = conn;
    }

    void register(NodeRouter router) {
        router.on("iq")
                .type(Iq.GET)
                .xmlns("encrypt")
                .child("count")
                .to(this::count)
                .on("iq")
                .type(Iq.GET)
                .xmlns("encrypt")
                .child("digest")
                .to(this::digest)
                .on("iq")
                .type(Iq.GET)
                .xmlns("encrypt")
                .child("key")
                .to(this::fetch);
        // Baileys and whatsmeow start the upload with <registration>; accept any of its parts first
        for (String first : List.of("registration", "list", "identity", "type")) {
            router.on("iq").type(Iq.SET).xmlns("encrypt").child(first).to(this::upload);
        }
    }

    private void count(Node iq) {
        conn.send(PreKeyCount.answer(
                iq,
                conn.server()
                        .accounts()
                        .preKeyCount(conn.deviceJid(), conn.config().initialPreKeyCount())));
    }

    private void upload(Node iq) {
        PreKeyUpload upload;
        try {
            upload = PreKeyUpload.from(iq);
        } catch (ProtocolException e) {
            conn.send(Iq.serverError(iq, 400, "bad-request"));
            return;
        }
        String jid = conn.deviceJid();
        if (jid == null) {
            conn.send(Iq.serverError(iq, 401, "not-authorized"));
            return;
        }
        Accounts accounts = conn.server().accounts();
        // whatsmeow prekeys.go uploadPreKeys sends the signed prekey along (<skey><id/><value/><signature/>)
        upload.signedPreKey().ifPresent(s -> accounts.updateSignedPreKey(jid, s.id(), s.publicKey(), s.signature()));
        List<UploadedPreKey> keys = new ArrayList<>(upload.keys().size());
        upload.keys().forEach(k -> keys.add(new UploadedPreKey(k.id(), k.publicKey())));
        boolean first = accounts.storePreKeys(jid, keys);
        conn.send(Iq.serverResult(iq));
        if (first) {
            conn.server().sim().companionReady(jid);
        }
    }

    /** A prekey fetch ({@link PreKeyFetch}, answered by {@link KeyBundles}); 400 when a user is not a device JID. */
    private void fetch(Node iq) {
        if (conn.deviceJid() == null) {
            conn.send(Iq.serverError(iq, 401, "not-authorized"));
            return;
        }
        List<String> requested = PreKeyFetch.requested(iq);
        conn.send(
                requested.isEmpty()
                        ? Iq.serverError(iq, 400, "bad-request")
                        : new KeyBundles(conn.server().accounts())
                                .answer(requested)
                                .map(users -> PreKeyFetch.answer(iq, users))
                                .orElseGet(() -> Iq.serverError(iq, 400, "bad-request")));
    }

    /**
     * {@code <digest>}: the server's view of the device's key bundle. [I] Shape after whatsmeow prekeys.go
     * (registration, type, identity, skey{id,value,signature}, list of ids, hash = SHA-1 of identity, signed
     * prekey value, signature and every prekey value).
     */
    private void digest(Node iq) {
        String jid = conn.deviceJid();
        LinkedDevice d = conn.server().accounts().device(jid);
        if (d == null) {
            conn.send(Iq.serverError(iq, 404, "item-not-found"));
            return;
        }
        List<Node> ids = new ArrayList<>();
        ByteArrayOutputStream hashInput = new ByteArrayOutputStream();
        hashInput.writeBytes(d.identityPublicKey());
        hashInput.writeBytes(d.signedPreKeyPublic());
        hashInput.writeBytes(d.signedPreKeySignature());
        for (UploadedPreKey k : conn.server().accounts().preKeys(jid)) {
            ids.add(Nodes.bytes("id", Bytes.bigEndian(k.id(), 3)));
            hashInput.writeBytes(k.publicKey());
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-1").digest(hashInput.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        conn.send(Iq.serverResult(
                iq,
                Node.withChildren(
                        "digest",
                        Map.of(),
                        List.of(
                                Nodes.bytes(
                                        "registration",
                                        ByteBuffer.allocate(4)
                                                .putInt(d.registrationId())
                                                .array()),
                                Nodes.bytes("type", new byte[] {PreKeyUpload.KEY_TYPE}),
                                Nodes.bytes("identity", d.identityPublicKey()),
                                Nodes.parent(
                                        "skey",
                                        Nodes.attrs(),
                                        Nodes.bytes("id", Bytes.bigEndian(d.signedPreKeyId(), 3)),
                                        Nodes.bytes("value", d.signedPreKeyPublic()),
                                        Nodes.bytes("signature", d.signedPreKeySignature())),
                                Node.withChildren("list", Map.of(), ids),
                                Nodes.bytes("hash", hash)))));
    }
}
