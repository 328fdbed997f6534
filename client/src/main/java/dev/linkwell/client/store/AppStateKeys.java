package dev.linkwell.client.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.client.CredentialStore;
import dev.linkwell.protocol.proto.AppStateSyncKey;
import dev.linkwell.protocol.proto.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The app-state sync keys our phone shares with this device ({@code appStateSyncKeyShare}), kept by key id in the
 * {@code app-state-keys} blob as one {@code AppStateSyncKeyShare} protobuf. They decrypt the app state (contacts,
 * chat settings) once the engine syncs it; whatsmeow stores them the same way (message.go
 * handleAppStateSyncKeyShare: key id -> key data, fingerprint, timestamp), Baileys 7 as {@code app-state-sync-key}.
 */
public final class AppStateKeys {

    static final String BLOB = "app-state-keys";

    private final CredentialStore store;
    private final String sessionId;

    public AppStateKeys(CredentialStore store, String sessionId) {
        this.store = store;
        this.sessionId = sessionId;
    }

    /** Adds the shared keys (a key id already stored is replaced); one write. Keys without an id are skipped. */
    public void store(List<AppStateSyncKey> shared) {
        Map<ByteString, AppStateSyncKey> all = load();
        for (AppStateSyncKey key : shared) {
            if (key.hasKeyId() && !key.getKeyId().getKeyId().isEmpty()) {
                all.put(key.getKeyId().getKeyId(), key);
            }
        }
        store.write(
                sessionId,
                BLOB,
                Message.AppStateSyncKeyShare.newBuilder()
                        .addAllKeys(all.values())
                        .build()
                        .toByteArray());
    }

    /** The key with this id, if our phone shared it. */
    public Optional<AppStateSyncKey> key(byte[] keyId) {
        return Optional.ofNullable(load().get(ByteString.copyFrom(keyId)));
    }

    public int size() {
        return load().size();
    }

    private Map<ByteString, AppStateSyncKey> load() {
        Map<ByteString, AppStateSyncKey> keys = new LinkedHashMap<>();
        store.read(sessionId, BLOB).ifPresent(bytes -> {
            try {
                Message.AppStateSyncKeyShare.parseFrom(bytes)
                        .getKeysList()
                        .forEach(k -> keys.put(k.getKeyId().getKeyId(), k));
            } catch (InvalidProtocolBufferException e) {
                throw new CredentialsCodec.CorruptCredentialsException("app-state-keys blob does not parse");
            }
        });
        return keys;
    }
}
