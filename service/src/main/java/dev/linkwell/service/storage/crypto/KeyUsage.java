package dev.linkwell.service.storage.crypto;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link CredentialBackend} holds, by key.
 *
 * @param plain records written without a key
 * @param sealed records sealed with each key id
 */
public record KeyUsage(long plain, Map<String, Long> sealed) {

    public KeyUsage {
        sealed = Map.copyOf(sealed);
    }

    /** Counts records one by one, for backends that have to look at each. */
    public static final class Counter {

        private long plain;
        private final Map<String, Long> sealed = new TreeMap<>();

        public void add(byte[] record) {
            Envelope.keyId(record).ifPresentOrElse(id -> sealed.merge(id, 1L, Long::sum), () -> plain++);
        }

        public KeyUsage result() {
            return new KeyUsage(plain, sealed);
        }
    }
}
