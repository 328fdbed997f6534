package dev.linkwell.client.store;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.protocol.crypto.Hkdf;
import dev.linkwell.protocol.crypto.Hmac;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.signal.PreKeyRecord;
import dev.linkwell.protocol.signal.SenderKeyName;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalStore;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import dev.linkwell.protocol.signal.SignedPreKeyRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Signal state of one linked device, kept in its {@link CredentialStore}: one blob per session, per trusted
 * identity and per sender key, the unused one-time prekeys in the {@code pre-keys} blob, and the identity key,
 * registration id and signed prekey in {@code creds} (they never change after the device was made).
 *
 * <p><b>One commit, one write.</b> The store promises atomicity per blob only, and a decrypted pre-key message
 * changes three (session, identity, one-time prekeys). So a {@link SignalStoreUpdate} that touches more than one
 * blob is first written whole as the {@code signal-journal} blob: that single atomic write is the commit. Then
 * each blob is written and the journal deleted. A journal found at {@link #open} belongs to a commit cut short
 * by a crash and is applied again (every step is an overwrite or a delete, so applying twice is harmless). An
 * update that touches one blob (a message decrypted in an existing session) is that blob's write alone.
 *
 * <p>Blob names do not show whom the device talks to: the address or group in a name is replaced by an HMAC
 * under a key derived from the identity key ({@code signal-session-<22 base64url chars>}), since names are not
 * encrypted at rest. Reads go to the store each time (nothing is cached, so a session costs no memory between
 * messages). Thread-safe.
 */
public final class CredentialSignalStore implements SignalStore {

    static final String PRE_KEYS = "pre-keys";
    static final String JOURNAL = "signal-journal";
    private static final String SESSION = "signal-session-";
    private static final String IDENTITY = "signal-identity-";
    private static final String SENDER_KEY = "signal-sender-key-";
    private static final byte[] NAME_KEY_INFO = "linkwell signal blob names".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder NAME_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final CredentialStore store;
    private final String sessionId;
    private final KeyPair identityKeyPair;
    private final int registrationId;
    private final Credentials.SignedPreKey signedPreKey;
    private final byte[] nameKey;

    private CredentialSignalStore(CredentialStore store, String sessionId, Credentials creds) {
        this.store = store;
        this.sessionId = sessionId;
        this.identityKeyPair = creds.identityKey();
        this.registrationId = creds.registrationId();
        this.signedPreKey = creds.signedPreKey();
        this.nameKey = Hkdf.derive(creds.identityKey().privateKey(), new byte[0], NAME_KEY_INFO, 32);
    }

    /**
     * The device's Signal state; finishes a commit a crash cut short first.
     *
     * @throws CredentialsCodec.CorruptCredentialsException when a journal is left that cannot be read
     */
    public static CredentialSignalStore open(CredentialStore store, String sessionId, Credentials creds) {
        CredentialSignalStore signal = new CredentialSignalStore(store, sessionId, creds);
        store.read(sessionId, JOURNAL).ifPresent(journal -> signal.apply(SignalJournal.decode(journal)));
        return signal;
    }

    @Override
    public KeyPair identityKeyPair() {
        return identityKeyPair;
    }

    @Override
    public int registrationId() {
        return registrationId;
    }

    @Override
    public synchronized Optional<byte[]> session(SignalAddress address) {
        return store.read(sessionId, sessionName(address));
    }

    @Override
    public synchronized Optional<byte[]> preKey(int id) {
        KeyPair pair = preKeys().get(id);
        return pair == null ? Optional.empty() : Optional.of(new PreKeyRecord(id, pair).toBytes());
    }

    @Override
    public Optional<byte[]> signedPreKey(int id) {
        if (id != signedPreKey.id()) {
            return Optional.empty();
        }
        return Optional.of(new SignedPreKeyRecord(id, signedPreKey.keyPair(), signedPreKey.signature()).toBytes());
    }

    @Override
    public synchronized Optional<byte[]> identity(SignalAddress address) {
        return store.read(sessionId, identityName(address));
    }

    @Override
    public synchronized Optional<byte[]> senderKey(SenderKeyName name) {
        return store.read(sessionId, senderKeyName(name));
    }

    /** How many unused one-time prekeys are stored. */
    public synchronized int preKeyCount() {
        return preKeys().size();
    }

    /**
     * Applies every change of one Signal operation atomically (see the class comment).
     *
     * @throws IllegalArgumentException for a signed prekey: it is part of {@code creds} and never replaced
     */
    @Override
    public synchronized void commit(SignalStoreUpdate update) {
        if (!update.signedPreKeys().isEmpty()) {
            throw new IllegalArgumentException("the signed prekey lives in creds and is not replaced");
        }
        Map<String, byte[]> writes = new LinkedHashMap<>();
        update.sessions().forEach((address, record) -> writes.put(sessionName(address), record));
        update.deletedSessions().forEach(address -> writes.put(sessionName(address), null));
        update.identities().forEach((address, key) -> writes.put(identityName(address), key));
        update.senderKeys().forEach((name, record) -> writes.put(senderKeyName(name), record));
        update.deletedSenderKeys().forEach(name -> writes.put(senderKeyName(name), null));
        if (!update.preKeys().isEmpty() || !update.deletedPreKeys().isEmpty()) {
            Map<Integer, KeyPair> preKeys = preKeys();
            update.preKeys()
                    .forEach((id, record) ->
                            preKeys.put(id, PreKeyRecord.parse(record).keyPair()));
            update.deletedPreKeys().forEach(preKeys::remove);
            writes.put(PRE_KEYS, CredentialsCodec.encodePreKeys(preKeys));
        }
        if (writes.size() > 1) {
            store.write(sessionId, JOURNAL, SignalJournal.encode(writes));
            apply(writes);
        } else {
            writes.forEach(this::writeOrDelete);
        }
    }

    private void apply(Map<String, byte[]> writes) {
        writes.forEach(this::writeOrDelete);
        store.delete(sessionId, JOURNAL);
    }

    private void writeOrDelete(String name, byte[] data) {
        if (data == null) {
            store.delete(sessionId, name);
        } else {
            store.write(sessionId, name, data);
        }
    }

    private Map<Integer, KeyPair> preKeys() {
        return store.read(sessionId, PRE_KEYS)
                .map(CredentialsCodec::decodePreKeys)
                .map(m -> (Map<Integer, KeyPair>) new LinkedHashMap<>(m))
                .orElseGet(LinkedHashMap::new);
    }

    private String sessionName(SignalAddress address) {
        return SESSION + hidden("session " + address);
    }

    private String identityName(SignalAddress address) {
        return IDENTITY + hidden("identity " + address);
    }

    private String senderKeyName(SenderKeyName name) {
        return SENDER_KEY + hidden("sender-key " + name);
    }

    /** 128 bits of HMAC-SHA256 under the name key, base64url: stable, unique in practice, and telling nothing. */
    private String hidden(String what) {
        byte[] mac = Hmac.sha256(nameKey, what.getBytes(StandardCharsets.UTF_8));
        return NAME_ENCODING.encodeToString(Arrays.copyOf(mac, 16));
    }
}
