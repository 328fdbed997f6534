package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.support.TestStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileCredentialStoreTest {

    @TempDir
    Path parent;

    private Path root() {
        return parent.resolve("root");
    }

    private FileCredentialStore store() {
        return new FileCredentialStore(root());
    }

    @Test
    void aPurgeRemovesTheSessionsCredentialsFolder() {
        FileCredentialStore store = store();
        store.write("s1", "creds", bytes("v1"));
        store.write("s2", "creds", bytes("other"));

        store.purge("s1");

        assertThat(root().resolve("sessions/s1/creds")).doesNotExist();
        assertThat(root().resolve("sessions/s2/creds/creds")).exists();
    }

    @Test
    void filesAre0600AndFoldersAre0700() throws IOException {
        store().write("perm1", "creds", bytes("secret"));

        assertThat(mode(root().resolve("sessions/perm1/creds/creds"))).isEqualTo("rw-------");
        assertThat(mode(root().resolve("sessions/perm1/creds"))).isEqualTo("rwx------");
        assertThat(mode(root().resolve("sessions/perm1"))).isEqualTo("rwx------");
        assertThat(mode(root().resolve("sessions"))).isEqualTo("rwx------");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "..",
                "../x",
                "a/b",
                "/etc",
                "a\\b",
                "",
                " ",
                "a b",
                "x\u0000",
                "ü",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void sessionIdsCannotEscapeTheRoot(String id) {
        FileCredentialStore store = store();
        Map<String, String> outside = TestStorage.snapshot(parent);

        assertThatThrownBy(() -> store.write(id, "creds", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read(id, "creds")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.purge(id)).isInstanceOf(IllegalArgumentException.class);

        assertThat(TestStorage.snapshot(parent)).isEqualTo(outside);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../creds", "../../x", ".hidden", "a/b", "", "."})
    void blobNamesCannotEscapeTheSessionFolder(String name) {
        FileCredentialStore store = store();
        assertThatThrownBy(() -> store.write("s1", name, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(root()).doesNotExist();
    }

    @Test
    void aTruncatedTempFileLeftByACrashIsIgnoredAndCleanedUp() throws IOException {
        FileCredentialStore store = store();
        store.write("torn", "creds", bytes("old complete credentials"));
        Path dir = root().resolve("sessions/torn/creds");
        // The crash hit while the new version was half written into its temp file.
        Files.write(dir.resolve(".creds.0b7f.tmp"), bytes("new compl"));

        FileCredentialStore reloaded = store();

        assertThat(text(reloaded.read("torn", "creds").orElseThrow())).isEqualTo("old complete credentials");
        assertThat(reloaded.names("torn")).containsExactly("creds");
        reloaded.removeLeftovers();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("creds");
        }
    }

    @Test
    void aCrashBetweenTempWriteAndRenameKeepsTheOldVersion() throws IOException {
        FileCredentialStore store = store();
        store.write("mid", "creds", bytes("old"));
        Path dir = root().resolve("sessions/mid/creds");
        Files.write(dir.resolve(".creds.1c2d.tmp"), bytes("new, complete and fsynced but never renamed"));

        assertThat(text(store().read("mid", "creds").orElseThrow())).isEqualTo("old");
    }

    @Test
    void aCrashHalfWayThroughAPurgeLeavesNoCredentialsBehind() throws IOException {
        FileCredentialStore store = store();
        store.write("half", "creds", bytes("x"));
        Path session = root().resolve("sessions/half");
        // The purge renamed the folder away, then died while deleting it.
        Files.move(session.resolve("creds"), session.resolve(".creds.9a.trash"));

        FileCredentialStore reloaded = store();

        assertThat(reloaded.exists("half")).isFalse();
        reloaded.removeLeftovers();
        assertThat(session.resolve(".creds.9a.trash")).doesNotExist();
    }

    @Test
    void onlySessionsWithCredentialsAreListed() throws IOException {
        FileCredentialStore store = store();
        store.write("with", "creds", bytes("x"));
        Files.createDirectories(root().resolve("sessions/without/creds"));
        Files.createDirectories(root().resolve("sessions/not a session"));

        assertThat(store.sessionIds()).containsExactly("with");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
