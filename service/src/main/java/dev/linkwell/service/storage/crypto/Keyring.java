package dev.linkwell.service.storage.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The configured master keys: the current one ({@code STORAGE_KEY}), which seals every write, and an old one
 * ({@code STORAGE_OLD_KEY}) that still opens records during a rotation. Envelope encryption: each record gets
 * its own random data key, which encrypts the blob and is itself encrypted (wrapped) by the master key, so a
 * rotation rewraps 48 bytes per record and never touches the blob. AES-256-GCM with random 96-bit nonces
 * throughout; a nonce is used once per key (every data key encrypts one blob; a master key wraps one data key
 * per write, far below the 2^32 random nonces GCM allows per key).
 */
public final class Keyring {

    private static final int TAG_BITS = Envelope.TAG_LENGTH * 8;

    private final StorageKey current;
    private final Map<String, StorageKey> byId;
    private final SecureRandom random = new SecureRandom();

    private Keyring(StorageKey current, StorageKey old) {
        this.current = current;
        Map<String, StorageKey> keys = new LinkedHashMap<>();
        if (current != null) {
            keys.put(current.id(), current);
        }
        if (old != null) {
            keys.putIfAbsent(old.id(), old);
        }
        this.byId = Map.copyOf(keys);
    }

    /** No key: records are written plain and sealed ones cannot be opened. */
    public static Keyring none() {
        return new Keyring(null, null);
    }

    public static Keyring of(StorageKey current, StorageKey old) {
        if (current == null && old != null) {
            throw new StorageKeyException(old.source() + " is set but STORAGE_KEY is not: set STORAGE_KEY (or"
                    + " STORAGE_KEY_FILE) to the key new writes are sealed with");
        }
        return new Keyring(current, old);
    }

    /**
     * The keyring the settings describe; each key given inline or as a file, not both. Blank values count as unset.
     *
     * @throws StorageKeyException naming the setting that is wrong
     */
    public static Keyring load(String key, String keyFile, String oldKey, String oldKeyFile) {
        return of(key(key, keyFile, "STORAGE_KEY"), key(oldKey, oldKeyFile, "STORAGE_OLD_KEY"));
    }

    private static StorageKey key(String inline, String file, String setting) {
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasInline && hasFile) {
            throw new StorageKeyException("set " + setting + " or " + setting + "_FILE, not both");
        }
        if (hasInline) {
            return StorageKey.parse(inline, setting);
        }
        return hasFile ? StorageKey.read(Path.of(file.strip()), setting + "_FILE") : null;
    }

    /** The id of the key new writes are sealed with, or empty when writes are plain. */
    public Optional<String> currentId() {
        return Optional.ofNullable(current).map(StorageKey::id);
    }

    public Optional<StorageKey> current() {
        return Optional.ofNullable(current);
    }

    /** Ids of every key that can open records. */
    public Set<String> keyIds() {
        return byId.keySet();
    }

    public boolean canOpen(String keyId) {
        return byId.containsKey(keyId);
    }

    /** Seals a blob of the given session and name with a new data key wrapped by the current key. */
    public byte[] seal(String sessionId, String name, byte[] blob) {
        if (current == null) {
            throw new IllegalStateException("no STORAGE_KEY to seal with");
        }
        byte[] dataKey = new byte[Envelope.DATA_KEY_LENGTH];
        random.nextBytes(dataKey);
        try {
            byte[] record = new byte[blob.length + Envelope.OVERHEAD];
            System.arraycopy(Envelope.MAGIC, 0, record, 0, Envelope.MAGIC.length);
            wrap(dataKey, record);
            byte[] nonce = nonce();
            System.arraycopy(nonce, 0, record, Envelope.PAYLOAD_NONCE_OFFSET, nonce.length);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(payloadContext(sessionId, name));
            cipher.doFinal(blob, 0, blob.length, record, Envelope.PAYLOAD_OFFSET);
            return record;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Opens a sealed record of the given session and name.
     *
     * @throws StorageKeyException when its key is not configured, or it was altered or belongs to another blob
     */
    public byte[] open(String sessionId, String name, byte[] record) {
        byte[] dataKey = unwrap(sessionId, name, record);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(dataKey, "AES"),
                    new GCMParameterSpec(TAG_BITS, record, Envelope.PAYLOAD_NONCE_OFFSET, Envelope.NONCE_LENGTH));
            cipher.updateAAD(payloadContext(sessionId, name));
            return cipher.doFinal(record, Envelope.PAYLOAD_OFFSET, record.length - Envelope.PAYLOAD_OFFSET);
        } catch (AEADBadTagException e) {
            throw damaged(sessionId, name, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * The record with its data key wrapped by the current key instead; the blob stays as it is. The record
     * is opened first, so a damaged record is reported instead of being carried over.
     */
    public byte[] rewrap(String sessionId, String name, byte[] record) {
        if (current == null) {
            throw new IllegalStateException("no STORAGE_KEY to wrap with");
        }
        open(sessionId, name, record);
        byte[] dataKey = unwrap(sessionId, name, record);
        try {
            byte[] rewrapped = record.clone();
            wrap(dataKey, rewrapped);
            return rewrapped;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "Keyring[current=" + currentId().orElse("none") + ", keys=" + keyIds() + "]";
    }

    /** Writes the current key's id, a new wrap nonce and the wrapped data key into bytes 8..76 of the record. */
    private void wrap(byte[] dataKey, byte[] record) throws GeneralSecurityException {
        System.arraycopy(current.idBytes(), 0, record, Envelope.MAGIC.length, Envelope.KEY_ID_LENGTH);
        byte[] nonce = nonce();
        System.arraycopy(nonce, 0, record, Envelope.WRAP_NONCE_OFFSET, nonce.length);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(record, 0, Envelope.HEADER_LENGTH);
        cipher.doFinal(dataKey, 0, dataKey.length, record, Envelope.WRAPPED_KEY_OFFSET);
    }

    private byte[] unwrap(String sessionId, String name, byte[] record) {
        if (record.length < Envelope.OVERHEAD || !Envelope.isSealed(record)) {
            throw new StorageKeyException("credential '" + name + "' of session '" + sessionId
                    + "' is not a complete sealed record (" + record.length + " bytes)");
        }
        String keyId = Envelope.keyId(record).orElseThrow();
        StorageKey key = byId.get(keyId);
        if (key == null) {
            throw new StorageKeyException(
                    "credential '" + name + "' of session '" + sessionId + "' is encrypted with key id "
                            + keyId + ", which is not configured (configured: " + (byId.isEmpty() ? "no key" : keyIds())
                            + "); set STORAGE_KEY, or STORAGE_OLD_KEY during a rotation, to the key it was written with");
        }
        SecretKey secret = key.secretKey();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    secret,
                    new GCMParameterSpec(TAG_BITS, record, Envelope.WRAP_NONCE_OFFSET, Envelope.NONCE_LENGTH));
            cipher.updateAAD(record, 0, Envelope.HEADER_LENGTH);
            return cipher.doFinal(record, Envelope.WRAPPED_KEY_OFFSET, Envelope.DATA_KEY_LENGTH + Envelope.TAG_LENGTH);
        } catch (AEADBadTagException e) {
            throw damaged(sessionId, name, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private byte[] nonce() {
        byte[] nonce = new byte[Envelope.NONCE_LENGTH];
        random.nextBytes(nonce);
        return nonce;
    }

    private static byte[] payloadContext(String sessionId, String name) {
        byte[] where = (sessionId + "/" + name).getBytes(StandardCharsets.UTF_8);
        byte[] context = Arrays.copyOf(Envelope.MAGIC, Envelope.MAGIC.length + where.length);
        System.arraycopy(where, 0, context, Envelope.MAGIC.length, where.length);
        return context;
    }

    private static StorageKeyException damaged(String sessionId, String name, AEADBadTagException e) {
        return new StorageKeyException(
                "credential '" + name + "' of session '" + sessionId
                        + "' does not decrypt: it was altered or damaged, or copied from another blob or session",
                e);
    }
}
