package dev.linkwell.service.storage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyringTest {

    private static final StorageKey OLD =
            StorageKey.parse("q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=", "STORAGE_OLD_KEY");
    private static final StorageKey NEW =
            StorageKey.parse("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210", "STORAGE_KEY");
    private static final byte[] BLOB =
            "the engine's credentials, a noise key and a signed pre-key".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedRecordOpensToTheBlobAndShowsNothingOfIt() {
        Keyring keys = Keyring.of(OLD, null);
        byte[] record = keys.seal("s1", "creds", BLOB);

        assertThat(record).hasSize(BLOB.length + Envelope.OVERHEAD);
        assertThat(Envelope.isSealed(record)).isTrue();
        assertThat(Envelope.keyId(record)).hasValue(OLD.id());
        assertThat(new String(record, StandardCharsets.ISO_8859_1))
                .doesNotContain("credentials")
                .doesNotContain("noise");
        assertThat(keys.open("s1", "creds", record)).isEqualTo(BLOB);
        assertThat(keys.seal("s1", "creds", BLOB))
                .as("a new data key and nonces every time")
                .isNotEqualTo(record);
        assertThat(keys.open("s1", "creds", keys.seal("s1", "creds", new byte[0])))
                .isEmpty();
    }

    @Test
    void everyAlteredByteIsNoticed() {
        Keyring keys = Keyring.of(OLD, null);
        byte[] record = keys.seal("s1", "creds", BLOB);
        for (int i = Envelope.HEADER_LENGTH; i < record.length; i++) {
            byte[] altered = record.clone();
            altered[i] ^= 0x01;
            assertThatThrownBy(() -> keys.open("s1", "creds", altered))
                    .as("byte " + i)
                    .isInstanceOf(StorageKeyException.class)
                    .hasMessageContaining("does not decrypt");
        }
        assertThatThrownBy(() -> keys.open("s1", "creds", Arrays.copyOf(record, record.length - 1)))
                .isInstanceOf(StorageKeyException.class);
        assertThatThrownBy(() -> keys.open("s1", "creds", Arrays.copyOf(record, Envelope.OVERHEAD - 1)))
                .hasMessageContaining("not a complete sealed record");
    }

    @Test
    void aRecordCopiedToAnotherBlobOrSessionDoesNotOpen() {
        Keyring keys = Keyring.of(OLD, null);
        byte[] record = keys.seal("s1", "creds", BLOB);

        assertThatThrownBy(() -> keys.open("s2", "creds", record)).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> keys.open("s1", "pre-keys", record)).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> keys.open("s1/c", "reds", record)).hasMessageContaining("does not decrypt");
    }

    @Test
    void aRecordUnderAKeyThatIsNotConfiguredNamesItsKeyId() {
        byte[] record = Keyring.of(OLD, null).seal("s1", "creds", BLOB);

        assertThatThrownBy(() -> Keyring.of(NEW, null).open("s1", "creds", record))
                .isInstanceOf(StorageKeyException.class)
                .hasMessageContaining("encrypted with key id " + OLD.id())
                .hasMessageContaining("configured: [" + NEW.id() + "]");
        assertThatThrownBy(() -> Keyring.none().open("s1", "creds", record)).hasMessageContaining("configured: no key");
    }

    @Test
    void rewrappingMovesTheDataKeyToTheNewKeyAndLeavesTheBlobAlone() {
        byte[] record = Keyring.of(OLD, null).seal("s1", "creds", BLOB);
        Keyring rotating = Keyring.of(NEW, OLD);

        byte[] rewrapped = rotating.rewrap("s1", "creds", record);

        assertThat(Envelope.keyId(rewrapped)).hasValue(NEW.id());
        assertThat(Arrays.copyOfRange(rewrapped, Envelope.PAYLOAD_NONCE_OFFSET, rewrapped.length))
                .isEqualTo(Arrays.copyOfRange(record, Envelope.PAYLOAD_NONCE_OFFSET, record.length));
        assertThat(Keyring.of(NEW, null).open("s1", "creds", rewrapped)).isEqualTo(BLOB);
        assertThatThrownBy(() -> Keyring.of(OLD, null).open("s1", "creds", rewrapped))
                .hasMessageContaining(NEW.id());

        byte[] damaged = record.clone();
        damaged[damaged.length - 3] ^= 0x40;
        assertThatThrownBy(() -> rotating.rewrap("s1", "creds", damaged))
                .as("a damaged record is reported, not carried over")
                .hasMessageContaining("does not decrypt");
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        byte[] record = Keyring.of(NEW, null).seal("s1", "creds", BLOB);

        assertThat(HexFormat.of().formatHex(record, 0, 8)).isEqualTo("00ff4c57454e4301");
        assertThat(HexFormat.of().formatHex(record, 8, 16)).isEqualTo(NEW.id());
        assertThat(Envelope.OVERHEAD).isEqualTo(104);
        assertThat(Envelope.keyId("plain blob, long enough".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(Envelope.keyId(Arrays.copyOf(record, Envelope.HEADER_LENGTH)))
                .hasValue(NEW.id());
    }
}
