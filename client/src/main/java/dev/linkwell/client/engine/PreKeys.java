package dev.linkwell.client.engine;

import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.signal.PreKeyRecord;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import dev.linkwell.protocol.stanza.PreKeyUpload;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One-time prekey batches: new key pairs with the next ids, and the upload that carries their public halves. */
public final class PreKeys {

    private PreKeys() {}

    /** A new batch: the prekeys to store first, and the credentials with the advanced counters. */
    public record Batch(List<PreKeyRecord> keys, Credentials updated) {
        public Batch {
            keys = List.copyOf(keys);
        }

        /** The Signal store's change that keeps the batch. */
        public SignalStoreUpdate storeUpdate() {
            SignalStoreUpdate.Builder update = SignalStoreUpdate.builder();
            keys.forEach(update::putPreKey);
            return update.build();
        }
    }

    public static Batch generate(Credentials creds, int count, SecureRandom random) {
        List<PreKeyRecord> keys = new ArrayList<>(count);
        int first = creds.nextPreKeyId();
        for (int i = 0; i < count; i++) {
            // ids are 24-bit on the wire; wrap around like whatsmeow does past 16777215
            keys.add(PreKeyRecord.generate(((first - 1 + i) % 0xFFFFFF) + 1, random));
        }
        int next = ((first - 1 + count) % 0xFFFFFF) + 1;
        return new Batch(keys, creds.withPreKeyCounters(next, next));
    }

    /** The upload of {@code keys}, with the registration id, identity and signed prekey of {@code creds}. */
    public static Node uploadNode(String id, Credentials creds, List<PreKeyRecord> keys) {
        List<PreKeyUpload.Key> list = new ArrayList<>(keys.size());
        keys.forEach(
                key -> list.add(new PreKeyUpload.Key(key.id(), key.keyPair().publicKey())));
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
