package dev.linkwell.client.engine;

import dev.linkwell.client.pair.Registration;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.crypto.KeyPair;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One-time prekeys: how many the server holds, and a batch upload.
 *
 * <p>Facts (Baileys 6.17.16 Socket/socket.js getAvailablePreKeysOnServer / uploadPreKeys,
 * Utils/signal.js getNextPreKeysNode / xmppPreKey / xmppSignedPreKey; whatsmeow prekeys.go):
 * {@code <iq xmlns="encrypt" type="get"><count/></iq>} answers {@code <count value="N"/>};
 * the upload is {@code <iq xmlns="encrypt" type="set">} with {@code <registration>} (4-byte BE id),
 * {@code <type>} (0x05), {@code <identity>} (32-byte pub), {@code <list>} of
 * {@code <key><id>3-byte BE</id><value>pub</value></key>} and {@code <skey><id/><value/><signature/></skey>}.
 */
public final class PreKeys {

    private PreKeys() {
    }

    public static Node countQuery(String id) {
        return Node.builder("iq").attr("id", id).attr("xmlns", "encrypt").attr("type", "get").attr("to", Jid.SERVER.toString())
                .child(Node.of("count")).build();
    }

    /** The server's count from the answer to {@link #countQuery}; -1 when it is not there. */
    public static int parseCount(Node result) {
        Node count = result.child("count");
        if (count == null) {
            return -1;
        }
        try {
            return Integer.parseInt(count.attrOr("value", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A new batch: the key pairs to store first, and the credentials with the advanced counters. */
    public record Batch(Map<Integer, KeyPair> keys, Credentials updated) {
    }

    public static Batch generate(Credentials creds, int count, SecureRandom random) {
        Map<Integer, KeyPair> keys = new LinkedHashMap<>();
        int first = creds.nextPreKeyId();
        for (int i = 0; i < count; i++) {
            // ids are 24-bit on the wire; wrap around like whatsmeow does past 16777215
            int id = ((first - 1 + i) % 0xFFFFFF) + 1;
            keys.put(id, KeyPair.generate(random));
        }
        int next = ((first - 1 + count) % 0xFFFFFF) + 1;
        return new Batch(keys, creds.withPreKeyCounters(next, next));
    }

    public static Node uploadNode(String id, Credentials creds, Map<Integer, KeyPair> keys) {
        Node.Builder list = Node.builder("list");
        keys.forEach((keyId, kp) -> list.child(Node.builder("key")
                .child(Node.builder("id").bytes(Registration.bigEndian(keyId, 3)).build())
                .child(Node.builder("value").bytes(kp.publicKey()).build())
                .build()));
        Credentials.SignedPreKey spk = creds.signedPreKey();
        return Node.builder("iq").attr("id", id).attr("xmlns", "encrypt").attr("type", "set").attr("to", Jid.SERVER.toString())
                .child(Node.builder("registration").bytes(Registration.bigEndian(creds.registrationId(), 4)).build())
                .child(Node.builder("type").bytes(new byte[] {Registration.KEY_TYPE}).build())
                .child(Node.builder("identity").bytes(creds.identityKey().publicKey()).build())
                .child(list.build())
                .child(Node.builder("skey")
                        .child(Node.builder("id").bytes(Registration.bigEndian(spk.id(), 3)).build())
                        .child(Node.builder("value").bytes(spk.keyPair().publicKey()).build())
                        .child(Node.builder("signature").bytes(spk.signature()).build())
                        .build())
                .build();
    }
}
