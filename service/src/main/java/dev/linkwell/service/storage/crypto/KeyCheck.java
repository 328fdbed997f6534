package dev.linkwell.service.storage.crypto;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run before the service (or a rotation) touches any credential: a store holding records sealed with a key
 * that is not configured is refused with a message that names the key ids and the setting to fix, so a
 * missing or wrong key never starts sessions that cannot read their credentials (and would then ask for a
 * new QR and overwrite them).
 */
public final class KeyCheck {

    private static final Logger log = LoggerFactory.getLogger(KeyCheck.class);

    private KeyCheck() {}

    /**
     * @return what the store holds
     * @throws StorageKeyException when records need a key that is not configured
     */
    public static KeyUsage verify(CredentialBackend backend, Keyring keys) {
        KeyUsage usage = backend.keyUsage();
        List<String> unknown = usage.sealed().keySet().stream()
                .filter(id -> !keys.canOpen(id))
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            long count = unknown.stream().mapToLong(usage.sealed()::get).sum();
            String what = count + " credential records in " + backend.describe() + " are encrypted with key id"
                    + (unknown.size() == 1 ? " " + unknown.getFirst() : "s " + unknown);
            if (keys.keyIds().isEmpty()) {
                throw new StorageKeyException(what + ", but no STORAGE_KEY (or STORAGE_KEY_FILE) is set. Set it to the"
                        + " key they were written with. Nothing was read or changed.");
            }
            throw new StorageKeyException(
                    what + ", but the configured key" + (keys.keyIds().size() == 1 ? " has id " : "s have ids ")
                            + String.join(", ", keys.keyIds())
                            + ": wrong STORAGE_KEY? Set it (or STORAGE_OLD_KEY during a rotation) to"
                            + " the key they were written with. Nothing was read or changed.");
        }
        return usage;
    }

    /** {@link #verify}, then says in the log what is encrypted and what is left to rotate: for the service's start. */
    public static KeyUsage verifyAndReport(CredentialBackend backend, Keyring keys) {
        KeyUsage usage = verify(backend, keys);
        keys.currentId().ifPresent(current -> report(usage, current));
        return usage;
    }

    private static void report(KeyUsage usage, String current) {
        long old = usage.sealed().entrySet().stream()
                .filter(e -> !e.getKey().equals(current))
                .mapToLong(Map.Entry::getValue)
                .sum();
        if (usage.plain() > 0 || old > 0) {
            log.warn(
                    "{} credential records are not encrypted yet and {} are under an old key; new writes use key {}."
                            + " Run --rotate-storage-key to bring them all under it",
                    usage.plain(),
                    old,
                    current);
        } else {
            log.info(
                    "Credentials are encrypted at rest with key {} ({} records)",
                    current,
                    usage.sealed().getOrDefault(current, 0L));
        }
    }
}
