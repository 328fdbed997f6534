package dev.linkwell.client.engine;

import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.stanza.PreKeyUpload;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One-time prekey batches: new key pairs with the next ids, and the upload that carries their public halves. */
public final class PreKeys {

    private PreKeys() {}

    /** A new batch: the key pairs to store first, and the credentials with the advanced counters. */
    public record Batch(Map<Integer, KeyPair> keys, Credentials updated) {}

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

    /** The upload of {@code keys}, with the registration id, identity and signed prekey of {@code creds}. */
    public static Node uploadNode(String id, Credentials creds, Map<Integer, KeyPair> keys) {
        List<PreKeyUpload.Key> list = new ArrayList<>(keys.size());
        keys.forEach((keyId, kp) -> list.add(new PreKeyUpload.Key(keyId, kp.publicKey())));
        Credentials.SignedPreKey spk = creds.signedPreKey();
        return new PreKeyUpload(
                        creds.registrationId(),
                        creds.identityKey().publicKey(),
                        list,
                        Optional.of(new PreKeyUpload.SignedKey(
                                spk.id(), spk.keyPair().publicKey(), spk.signature())))
                .toNode(id);
    }
}
