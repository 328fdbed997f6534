package dev.linkwell.service.storage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageKeyTest {

    private static final byte[] MATERIAL =
            HexFormat.of().parseHex("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210");

    @TempDir
    Path dir;

    @Test
    void base64UrlSafeBase64AndHexOfTheSameBytesAreTheSameKey() {
        String hex = HexFormat.of().formatHex(MATERIAL);
        StorageKey fromHex = StorageKey.parse(hex.toUpperCase(), "STORAGE_KEY");
        StorageKey fromBase64 =
                StorageKey.parse(" " + Base64.getEncoder().encodeToString(MATERIAL) + "\n", "STORAGE_KEY");
        StorageKey fromUrlSafe =
                StorageKey.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(MATERIAL), "STORAGE_KEY");

        assertThat(fromHex.id())
                .matches("[0-9a-f]{16}")
                .isEqualTo(fromBase64.id())
                .isEqualTo(fromUrlSafe.id());
        assertThat(StorageKey.parse("q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=", "STORAGE_KEY")
                        .id())
                .isNotEqualTo(fromHex.id());
        assertThat(fromHex.toString())
                .contains(fromHex.id())
                .doesNotContain(hex)
                .doesNotContain(hex.toUpperCase());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "short",
                "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeA==",
                "00112233445566778899aabbccddeeff0123456789abcdeffedcba98765432",
                "zz112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
                "my secret passphrase that is long enough"
            })
    void anythingButThirtyTwoBytesIsRefusedWithoutRepeatingTheValue(String value) {
        assertThatThrownBy(() -> StorageKey.parse(value, "STORAGE_KEY"))
                .isInstanceOf(StorageKeyException.class)
                .hasMessageContaining("STORAGE_KEY must be 32 random bytes")
                .hasMessageContaining("openssl rand -base64 32")
                .satisfies(e -> {
                    if (!value.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(value);
                    }
                });
    }

    @Test
    void aKeyOfEqualBytesIsNoKey() {
        assertThatThrownBy(() -> StorageKey.parse("0".repeat(64), "STORAGE_KEY"))
                .isInstanceOf(StorageKeyException.class)
                .hasMessageContaining("not a random key");
    }

    @Test
    void aKeyFileHoldsOneKey() throws IOException {
        Path file = dir.resolve("key");
        Files.writeString(file, Base64.getEncoder().encodeToString(MATERIAL) + "\n");

        assertThat(StorageKey.read(file, "STORAGE_KEY_FILE").id())
                .isEqualTo(StorageKey.parse(HexFormat.of().formatHex(MATERIAL), "x")
                        .id());

        Files.writeString(file, "x".repeat(2000));
        assertThatThrownBy(() -> StorageKey.read(file, "STORAGE_KEY_FILE"))
                .hasMessageContaining("larger than 1024 bytes");
        assertThatThrownBy(() -> StorageKey.read(dir.resolve("missing"), "STORAGE_KEY_FILE"))
                .isInstanceOf(StorageKeyException.class)
                .hasMessageContaining("STORAGE_KEY_FILE " + dir.resolve("missing") + " cannot be read");
    }

    @Test
    void settingsTakeOneFormOfEachKeyAndAnOldKeyNeedsANewOne() throws IOException {
        Path file = dir.resolve("key");
        Files.writeString(file, HexFormat.of().formatHex(MATERIAL));
        String inline = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

        assertThat(Keyring.load(null, null, null, null).keyIds()).isEmpty();
        assertThat(Keyring.load(" ", "", null, null).currentId()).isEmpty();
        Keyring rotating = Keyring.load(null, file.toString(), inline, null);
        assertThat(rotating.currentId()).hasValue(StorageKey.read(file, "f").id());
        assertThat(rotating.keyIds()).hasSize(2);

        assertThatThrownBy(() -> Keyring.load(inline, file.toString(), null, null))
                .hasMessageContaining("set STORAGE_KEY or STORAGE_KEY_FILE, not both");
        assertThatThrownBy(() -> Keyring.load(null, null, inline, null))
                .hasMessageContaining("STORAGE_OLD_KEY is set but STORAGE_KEY is not");
    }
}
