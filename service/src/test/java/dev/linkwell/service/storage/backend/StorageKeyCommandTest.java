package dev.linkwell.service.storage.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.FileCredentialStore;
import dev.linkwell.service.storage.StorageLock;
import dev.linkwell.service.storage.StorageRoot;
import dev.linkwell.service.storage.TestKeys;
import dev.linkwell.service.storage.crypto.EncryptingCredentialStore;
import dev.linkwell.service.storage.crypto.KeyUsage;
import dev.linkwell.service.storage.crypto.StorageKey;
import dev.linkwell.service.storage.postgres.Fence;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.support.PostgresServer;
import dev.linkwell.service.support.TestFence;
import dev.linkwell.service.support.TestStorage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rotate-storage-key} as users run it: settings as arguments, a real store, the exit status and what it prints. */
class StorageKeyCommandTest {

    private static final String FIRST_ID = StorageKey.parse(TestKeys.FIRST, "k").id();
    private static final String SECOND_ID =
            StorageKey.parse(TestKeys.SECOND, "k").id();

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void rotatesAFileStoreAndASecondRunFindsNothingToDo() {
        FileCredentialStore files = new FileCredentialStore(root);
        files.write("plain", "creds", bytes("from before the key"));
        new EncryptingCredentialStore(files, TestKeys.first())
                .write("sealed", "creds", bytes("sealed with the first key"));

        int status = run(
                "--rotate-storage-key",
                "--linkwell.storage.root=" + root,
                "--linkwell.storage.key=" + TestKeys.SECOND,
                "--linkwell.storage.old-key=" + TestKeys.FIRST);

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains(
                        "rewrapped 1 records from the old key, encrypted 1 plain records, 0 already under the new key")
                .contains("Done: every credential record (2) is under key " + SECOND_ID)
                .doesNotContain(TestKeys.FIRST)
                .doesNotContain(TestKeys.SECOND);
        assertThat(files.keyUsage()).isEqualTo(new KeyUsage(0, Map.of(SECOND_ID, 2L)));
        assertThat(text(new EncryptingCredentialStore(files, TestKeys.second())
                        .read("sealed", "creds")
                        .orElseThrow()))
                .isEqualTo("sealed with the first key");

        out.reset();
        assertThat(run(
                        "--rotate-storage-key",
                        "--linkwell.storage.root=" + root,
                        "--linkwell.storage.key=" + TestKeys.SECOND,
                        "--linkwell.storage.old-key=" + TestKeys.FIRST))
                .isZero();
        assertThat(out.toString())
                .contains(
                        "rewrapped 0 records from the old key, encrypted 0 plain records, 2 already under the new key");
    }

    @Test
    void aMissingOrWrongOldKeyIsRefusedAndNothingChanges() throws Exception {
        new EncryptingCredentialStore(new FileCredentialStore(root), TestKeys.first()).write("s1", "creds", bytes("x"));
        Map<String, String> before = TestStorage.snapshot(root.resolve("sessions"));

        assertThat(run(
                        "--rotate-storage-key",
                        "--linkwell.storage.root=" + root,
                        "--linkwell.storage.key=" + TestKeys.SECOND))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("stopped: ")
                .contains("encrypted with key id " + FIRST_ID)
                .contains("the configured key has id " + SECOND_ID);

        err.reset();
        Path keyFile = root.resolve("new.key");
        Files.writeString(keyFile, TestKeys.SECOND);
        assertThat(run(
                        "--rotate-storage-key",
                        "--linkwell.storage.root=" + root,
                        "--linkwell.storage.key-file=" + keyFile,
                        "--linkwell.storage.old-key=not a key"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("STORAGE_OLD_KEY must be 32 random bytes")
                .doesNotContain("not a key");

        err.reset();
        assertThat(run("--rotate-storage-key", "--linkwell.storage.root=" + root))
                .isEqualTo(2);
        assertThat(err.toString()).contains("needs the new key in STORAGE_KEY");
        assertThat(TestStorage.snapshot(root.resolve("sessions"))).isEqualTo(before);
    }

    @Test
    void refusesToRunBesideARunningService() {
        new FileCredentialStore(root).write("s1", "creds", bytes("x"));
        try (StorageLock service = StorageLock.acquire(new StorageRoot(root))) {
            assertThat(run(
                            "--rotate-storage-key",
                            "--linkwell.storage.root=" + root,
                            "--linkwell.storage.key=" + TestKeys.FIRST))
                    .isEqualTo(2);
        }
        assertThat(err.toString()).contains("is in use by another Linkwell process");
        assertThat(new FileCredentialStore(root).keyUsage()).isEqualTo(new KeyUsage(1, Map.of()));
    }

    @Test
    void rotatesAPostgresStoreAndRefusesWhileANodeRuns() {
        PostgresServer.TestDatabase db = PostgresServer.get().newDatabase();
        try (PostgresDatabase node = PostgresDatabase.open(db.settings())) {
            CredentialStore sealed = new EncryptingCredentialStore(
                    new PostgresCredentialStore(node, new TestFence(node)), TestKeys.first());
            sealed.write("s1", "creds", bytes("one"));
            sealed.write("s2", "creds", bytes("two"));

            assertThat(run(rotatePostgres(db))).isEqualTo(2);
            assertThat(err.toString())
                    .contains("Linkwell nodes are running on this database")
                    .doesNotContain(db.password());
        }

        assertThat(run(rotatePostgres(db))).as(err.toString()).isZero();

        assertThat(out.toString()).contains("PostgreSQL " + db.url()).contains("rewrapped 2 records");
        try (PostgresDatabase node = PostgresDatabase.open(db.settings())) {
            PostgresCredentialStore rows = new PostgresCredentialStore(node, Fence.NONE);
            assertThat(rows.keyUsage()).isEqualTo(new KeyUsage(0, Map.of(SECOND_ID, 2L)));
            assertThat(text(new EncryptingCredentialStore(rows, TestKeys.second())
                            .read("s2", "creds")
                            .orElseThrow()))
                    .isEqualTo("two");
        }
    }

    private static String[] rotatePostgres(PostgresServer.TestDatabase db) {
        return new String[] {
            "--rotate-storage-key",
            "--linkwell.storage.type=postgres",
            "--linkwell.storage.database.url=" + db.url(),
            "--linkwell.storage.database.username=" + db.user(),
            "--linkwell.storage.database.password=" + db.password(),
            "--linkwell.storage.key=" + TestKeys.SECOND,
            "--linkwell.storage.old-key=" + TestKeys.FIRST
        };
    }

    private int run(String... args) {
        return StorageKeyCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
