package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.EncryptingCredentialStore;
import dev.linkwell.service.storage.crypto.KeyCheck;
import dev.linkwell.service.storage.crypto.KeyRotation;
import dev.linkwell.service.storage.crypto.KeyUsage;
import dev.linkwell.service.storage.crypto.Keyring;
import dev.linkwell.service.storage.crypto.StorageKey;
import dev.linkwell.service.storage.crypto.StorageKeyException;
import dev.linkwell.service.support.TestStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up key check and the rotation, on the file backend (the command test runs them on PostgreSQL too). */
class KeyRotationTest {

    private static final StorageKey FIRST = StorageKey.parse(TestKeys.FIRST, "STORAGE_OLD_KEY");
    private static final StorageKey SECOND = StorageKey.parse(TestKeys.SECOND, "STORAGE_KEY");

    @TempDir
    Path root;

    @Test
    void aStoreWithSealedRecordsAndNoKeyIsRefusedAndLeftAsItWas() {
        FileCredentialStore backend = new FileCredentialStore(root);
        new EncryptingCredentialStore(backend, TestKeys.first()).write("s1", "creds", bytes("secret"));
        new EncryptingCredentialStore(backend, TestKeys.first()).write("s2", "creds", bytes("secret"));
        Map<String, String> before = TestStorage.snapshot(root);

        assertThatThrownBy(() -> KeyCheck.verify(backend, Keyring.none()))
                .isInstanceOf(StorageKeyException.class)
                .hasMessageContaining("2 credential records in " + root.resolve("sessions"))
                .hasMessageContaining("encrypted with key id " + FIRST.id())
                .hasMessageContaining("no STORAGE_KEY (or STORAGE_KEY_FILE) is set")
                .hasMessageContaining("Nothing was read or changed");
        assertThatThrownBy(() -> KeyCheck.verify(backend, TestKeys.second()))
                .hasMessageContaining("the configured key has id " + SECOND.id() + ": wrong STORAGE_KEY?");
        assertThat(TestStorage.snapshot(root)).isEqualTo(before);

        assertThat(KeyCheck.verify(backend, Keyring.of(SECOND, FIRST)))
                .isEqualTo(new KeyUsage(0, Map.of(FIRST.id(), 2L)));
    }

    @Test
    void plainRecordsAreReadAndSealedOnTheirNextWrite() {
        FileCredentialStore backend = new FileCredentialStore(root);
        backend.write("legacy", "creds", bytes("written before a key was set"));
        CredentialStore sealing = new EncryptingCredentialStore(backend, TestKeys.first());

        assertThat(KeyCheck.verify(backend, TestKeys.first())).isEqualTo(new KeyUsage(1, Map.of()));
        assertThat(text(sealing.read("legacy", "creds").orElseThrow())).isEqualTo("written before a key was set");
        sealing.write("legacy", "creds", bytes("next version"));
        assertThat(backend.keyUsage()).isEqualTo(new KeyUsage(0, Map.of(FIRST.id(), 1L)));
    }

    @Test
    void rotationMovesEveryRecordUnderTheNewKeyAndASecondRunChangesNothing() {
        FileCredentialStore backend = new FileCredentialStore(root);
        backend.write("plain", "creds", bytes("plain creds"));
        CredentialStore old = new EncryptingCredentialStore(backend, TestKeys.first());
        old.write("a", "creds", bytes("a creds"));
        old.write("a", "pre-keys", bytes("a keys"));
        old.write("b", "creds", bytes("b creds"));
        Keyring rotating = Keyring.of(SECOND, FIRST);

        KeyRotation.Result first = new KeyRotation(backend, rotating).run();

        assertThat(first).isEqualTo(new KeyRotation.Result(3, 1, 0, 0));
        assertThat(backend.keyUsage()).isEqualTo(new KeyUsage(0, Map.of(SECOND.id(), 4L)));
        CredentialStore fresh = new EncryptingCredentialStore(backend, TestKeys.second());
        assertThat(text(fresh.read("a", "pre-keys").orElseThrow())).isEqualTo("a keys");
        assertThat(text(fresh.read("plain", "creds").orElseThrow())).isEqualTo("plain creds");
        Map<String, String> after = TestStorage.snapshot(root);

        assertThat(new KeyRotation(backend, rotating).run()).isEqualTo(new KeyRotation.Result(0, 0, 4, 0));
        assertThat(new KeyRotation(backend, TestKeys.second()).run()).isEqualTo(new KeyRotation.Result(0, 0, 4, 0));
        assertThat(TestStorage.snapshot(root)).as("nothing rewritten").isEqualTo(after);
    }

    @Test
    void anInterruptedRotationLeavesEveryRecordReadableAndTheNextRunFinishesIt() {
        FileCredentialStore files = new FileCredentialStore(root);
        CredentialStore old = new EncryptingCredentialStore(files, TestKeys.first());
        for (String id : List.of("s1", "s2", "s3", "s4", "s5")) {
            old.write(id, "creds", bytes("creds of " + id));
        }
        Keyring rotating = Keyring.of(SECOND, FIRST);
        CredentialBackend dying = new FailingAfter(files, 2);

        assertThatThrownBy(() -> new KeyRotation(dying, rotating).run()).hasMessageContaining("killed");

        assertThat(files.keyUsage()).isEqualTo(new KeyUsage(0, Map.of(FIRST.id(), 3L, SECOND.id(), 2L)));
        CredentialStore meanwhile = new EncryptingCredentialStore(files, rotating);
        for (String id : List.of("s1", "s2", "s3", "s4", "s5")) {
            assertThat(text(meanwhile.read(id, "creds").orElseThrow())).isEqualTo("creds of " + id);
        }
        assertThat(new KeyRotation(files, rotating).run()).isEqualTo(new KeyRotation.Result(3, 0, 2, 0));
        assertThat(files.keyUsage()).isEqualTo(new KeyUsage(0, Map.of(SECOND.id(), 5L)));
    }

    @Test
    void aRecordChangedDuringTheRunIsLeftForTheNextRun() {
        FileCredentialStore files = new FileCredentialStore(root);
        new EncryptingCredentialStore(files, TestKeys.first()).write("busy", "creds", bytes("v1"));
        CredentialBackend racing = new WriteBeforeReplace(files);

        KeyRotation.Result result = new KeyRotation(racing, Keyring.of(SECOND, FIRST)).run();

        assertThat(result.complete()).isFalse();
        assertThat(result.changedMeanwhile()).isEqualTo(1);
        assertThat(text(new EncryptingCredentialStore(files, Keyring.of(SECOND, FIRST))
                        .read("busy", "creds")
                        .orElseThrow()))
                .isEqualTo("v2 written meanwhile");
    }

    @Test
    void aDamagedRecordStopsTheRotationAndIsNamed() throws Exception {
        FileCredentialStore files = new FileCredentialStore(root);
        new EncryptingCredentialStore(files, TestKeys.first()).write("broken", "creds", bytes("will be damaged"));
        Path file = root.resolve("sessions/broken/creds/creds");
        byte[] record = Files.readAllBytes(file);
        record[record.length - 1] ^= 1;
        Files.write(file, record);

        assertThatThrownBy(() -> new KeyRotation(files, Keyring.of(SECOND, FIRST)).run())
                .isInstanceOf(StorageKeyException.class)
                .hasMessageContaining("credential 'creds' of session 'broken' does not decrypt");
        assertThat(Files.readAllBytes(file)).isEqualTo(record);
        assertThatThrownBy(() -> new KeyRotation(files, Keyring.none()).run())
                .hasMessageContaining("needs the new key in STORAGE_KEY");
    }

    /** A backend whose process "dies" after a number of successful replaces. */
    private record FailingAfter(FileCredentialStore files, AtomicInteger left) implements Delegating {
        FailingAfter(FileCredentialStore files, int replaces) {
            this(files, new AtomicInteger(replaces));
        }

        @Override
        public boolean replace(String sessionId, String name, byte[] expected, byte[] replacement) {
            if (left.getAndDecrement() <= 0) {
                throw new IllegalStateException("killed");
            }
            return files.replace(sessionId, name, expected, replacement);
        }
    }

    /** A backend where the engine writes a new version between the rotation's read and its replace. */
    private record WriteBeforeReplace(FileCredentialStore files) implements Delegating {
        @Override
        public boolean replace(String sessionId, String name, byte[] expected, byte[] replacement) {
            new EncryptingCredentialStore(files, Keyring.of(SECOND, FIRST))
                    .write(sessionId, name, bytes("v2 written meanwhile"));
            return files.replace(sessionId, name, expected, replacement);
        }
    }

    private interface Delegating extends CredentialBackend {
        FileCredentialStore files();

        default Optional<byte[]> read(String sessionId, String name) {
            return files().read(sessionId, name);
        }

        default void write(String sessionId, String name, byte[] data) {
            files().write(sessionId, name, data);
        }

        default void delete(String sessionId, String name) {
            files().delete(sessionId, name);
        }

        default List<String> names(String sessionId) {
            return files().names(sessionId);
        }

        default boolean exists(String sessionId) {
            return files().exists(sessionId);
        }

        default void purge(String sessionId) {
            files().purge(sessionId);
        }

        default List<String> sessionIds() {
            return files().sessionIds();
        }

        default KeyUsage keyUsage() {
            return files().keyUsage();
        }

        default String describe() {
            return files().describe();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
