package dev.linkwell.service.storage.crypto;

import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every credential record under the current key: records sealed with another configured key are
 * rewrapped, plain ones are sealed, records already under the current key are left alone. Each record is
 * replaced on its own (atomically, and only if nobody changed it meanwhile), so an interrupted rotation
 * leaves every record readable with the old or the new key and a second run finishes the job; a run with
 * nothing left to do changes nothing.
 */
public final class KeyRotation {

    /**
     * What a run did.
     *
     * @param rewrapped records moved from an old key to the current one
     * @param sealed plain records sealed
     * @param current records that were already under the current key
     * @param changedMeanwhile records written by someone else during the run, left as they are (run again)
     */
    public record Result(long rewrapped, long sealed, long current, long changedMeanwhile) {

        public boolean complete() {
            return changedMeanwhile == 0;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);
    private static final int PROGRESS_EVERY = 1000;

    private final CredentialBackend backend;
    private final Keyring keys;

    public KeyRotation(CredentialBackend backend, Keyring keys) {
        this.backend = backend;
        this.keys = keys;
    }

    /**
     * @throws StorageKeyException before changing anything when no current key is set or a record needs a key
     *                             that is not configured; during the run when a record does not decrypt
     */
    public Result run() {
        String target = keys.currentId()
                .orElseThrow(() -> new StorageKeyException(
                        "--rotate-storage-key needs the new key in STORAGE_KEY (or STORAGE_KEY_FILE), and the old one in"
                                + " STORAGE_OLD_KEY (or STORAGE_OLD_KEY_FILE) when the records are encrypted already"));
        KeyCheck.verify(backend, keys);
        long rewrapped = 0;
        long sealed = 0;
        long current = 0;
        long changed = 0;
        for (String sessionId : backend.sessionIds()) {
            for (String name : backend.names(sessionId)) {
                Optional<byte[]> found = backend.read(sessionId, name);
                if (found.isEmpty()) {
                    continue; // deleted meanwhile: nothing to protect
                }
                byte[] record = found.get();
                Optional<String> keyId = Envelope.keyId(record);
                if (keyId.isPresent() && keyId.get().equals(target)) {
                    current++;
                    continue;
                }
                byte[] replacement =
                        keyId.isPresent() ? keys.rewrap(sessionId, name, record) : keys.seal(sessionId, name, record);
                if (!backend.replace(sessionId, name, record, replacement)) {
                    changed++;
                } else if (keyId.isPresent()) {
                    rewrapped++;
                } else {
                    sealed++;
                }
                Arrays.fill(record, (byte) 0);
                long done = rewrapped + sealed;
                if (done > 0 && done % PROGRESS_EVERY == 0) {
                    log.info("Key rotation: {} records moved to key {} so far", done, target);
                }
            }
        }
        return new Result(rewrapped, sealed, current, changed);
    }
}
