package dev.linkwell.service.storage;

import dev.linkwell.service.storage.crypto.Keyring;
import dev.linkwell.service.storage.crypto.StorageKey;

/** Fixed storage keys for tests (never use these anywhere else). */
public final class TestKeys {

    /** {@code STORAGE_KEY} as base64. */
    public static final String FIRST = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
    /** Another key, as hex. */
    public static final String SECOND = "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";

    private TestKeys() {}

    public static Keyring first() {
        return Keyring.of(StorageKey.parse(FIRST, "STORAGE_KEY"), null);
    }

    public static Keyring second() {
        return Keyring.of(StorageKey.parse(SECOND, "STORAGE_KEY"), null);
    }
}
