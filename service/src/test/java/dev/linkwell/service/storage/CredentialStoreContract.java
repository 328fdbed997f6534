package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.EncryptingCredentialStore;
import dev.linkwell.service.storage.crypto.Envelope;
import dev.linkwell.service.storage.crypto.KeyUsage;
import dev.linkwell.service.storage.crypto.Keyring;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link CredentialStore} contract every backend keeps, with and without a storage key: each subclass
 * gives a fresh, empty backend per test. What engines rely on: a blob reads back exactly as written, whatever
 * its size; a write replaces one blob atomically (a concurrent reader sees the old or the new content, never
 * a mix); names and session lists are sorted; ids and names are checked before anything is touched; writers
 * of different sessions do not disturb each other; what was written is there for a new instance.
 */
abstract class CredentialStoreContract {

    /** A new, empty backend; called once per test, and again by {@link #reopen} for another instance on the same storage. */
    abstract CredentialBackend newBackend();

    /** The keys the store seals with ({@link Keyring#none()} for plain records). */
    abstract Keyring keys();

    private CredentialBackend backend;
    private CredentialStore store;

    CredentialBackend backend() {
        if (backend == null) {
            backend = newBackend();
        }
        return backend;
    }

    CredentialStore store() {
        if (store == null) {
            store = new EncryptingCredentialStore(backend(), keys());
        }
        return store;
    }

    /** Another instance on the same storage, as a restarted service would have. */
    CredentialBackend reopen() {
        backend();
        return newBackend();
    }

    @Test
    void writesReadsListsDeletesAndPurges() {
        CredentialStore s = store();
        assertThat(s.exists("s1")).isFalse();
        assertThat(s.read("s1", "creds")).isEmpty();
        assertThat(s.names("s1")).isEmpty();

        s.write("s1", "creds", bytes("v1"));
        s.write("s1", "pre-key-1", bytes("k"));
        s.write("s2", "creds", bytes("other"));
        s.write("s1", "creds", bytes("v2"));

        assertThat(text(s.read("s1", "creds").orElseThrow())).isEqualTo("v2");
        assertThat(s.names("s1")).containsExactly("creds", "pre-key-1");
        assertThat(s.sessionIds()).containsExactly("s1", "s2");
        assertThat(s.exists("s1")).isTrue();

        s.delete("s1", "pre-key-1");
        s.delete("s1", "never-written");
        assertThat(s.names("s1")).containsExactly("creds");

        s.purge("s1");
        s.purge("never-existed");

        assertThat(s.exists("s1")).isFalse();
        assertThat(s.read("s1", "creds")).isEmpty();
        assertThat(s.sessionIds()).containsExactly("s2");
        s.delete("s2", "creds");
        assertThat(s.exists("s2"))
                .as("a session with no blob left has no credentials")
                .isFalse();
        assertThat(s.sessionIds()).isEmpty();
    }

    @Test
    void namesAndSessionsAreSortedAsJavaSortsThem() {
        CredentialStore s = store();
        for (String name : List.of("b", "B", "a.1", "a-1", "a_1", "_x", "0", "Z9")) {
            s.write("sort", name, bytes(name));
            s.write(name.replace(".", "dot"), "creds", bytes(name));
        }
        List<String> names = new ArrayList<>(List.of("b", "B", "a.1", "a-1", "a_1", "_x", "0", "Z9"));
        names.sort(null);
        assertThat(s.names("sort")).containsExactlyElementsOf(names);
        List<String> sessions =
                new ArrayList<>(names.stream().map(n -> n.replace(".", "dot")).toList());
        sessions.add("sort");
        sessions.sort(null);
        assertThat(s.sessionIds()).containsExactlyElementsOf(sessions);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 65_536, 4 * 1024 * 1024})
    void blobsOfAnySizeReadBackExactly(int size) {
        byte[] blob = new byte[size];
        ThreadLocalRandom.current().nextBytes(blob);
        store().write("sizes", "blob", blob);

        assertThat(store().read("sizes", "blob"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
        assertThat(new EncryptingCredentialStore(reopen(), keys()).read("sizes", "blob"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    }

    @Test
    void aShorterWriteReplacesTheWholeBlobAndArraysAreNotShared() {
        byte[] data = bytes("a long first version of the blob");
        store().write("copy", "creds", data);
        Arrays.fill(data, (byte) 'x');
        assertThat(text(store().read("copy", "creds").orElseThrow())).isEqualTo("a long first version of the blob");

        store().write("copy", "creds", bytes("short"));
        byte[] read = store().read("copy", "creds").orElseThrow();
        Arrays.fill(read, (byte) 'y');

        assertThat(text(store().read("copy", "creds").orElseThrow())).isEqualTo("short");
    }

    @Test
    void whatWasWrittenIsThereForANewInstance() {
        store().write("durable", "creds", bytes("kept"));
        store().write("durable", "lid-map", bytes("map"));

        CredentialStore again = new EncryptingCredentialStore(reopen(), keys());

        assertThat(again.names("durable")).containsExactly("creds", "lid-map");
        assertThat(text(again.read("durable", "creds").orElseThrow())).isEqualTo("kept");
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
                "a'b",
                "a;b",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void badSessionIdsAreRefusedBeforeAnythingIsTouched(String id) {
        CredentialStore s = store();
        assertThatThrownBy(() -> s.write(id, "creds", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.read(id, "creds")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.delete(id, "creds")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.names(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.exists(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.purge(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.write(null, "creds", bytes("x"))).isInstanceOf(IllegalArgumentException.class);

        assertThat(s.sessionIds()).isEmpty();
    }

    static Stream<String> badBlobNames() {
        return Stream.of("../creds", "../../x", ".hidden", "a/b", "", ".", "x y", "n\u0000", "b".repeat(129));
    }

    @ParameterizedTest
    @MethodSource("badBlobNames")
    void badBlobNamesAreRefusedBeforeAnythingIsTouched(String name) {
        CredentialStore s = store();
        assertThatThrownBy(() -> s.write("s1", name, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.read("s1", name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.delete("s1", name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.write("s1", null, bytes("x"))).isInstanceOf(IllegalArgumentException.class);

        assertThat(s.sessionIds()).isEmpty();
    }

    @Test
    void concurrentWritersOfDifferentSessionsDoNotDisturbEachOther() throws Exception {
        int writers = 8;
        int rounds = 40;
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String id = "writer-" + w;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        store().write(id, "creds", bytes(id + " round " + r));
                        store().write(id, "pre-key-" + (r % 3), bytes(id + " key " + r));
                        assertThat(text(store().read(id, "creds").orElseThrow()))
                                .isEqualTo(id + " round " + r);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        for (int w = 0; w < writers; w++) {
            String id = "writer-" + w;
            assertThat(text(store().read(id, "creds").orElseThrow())).isEqualTo(id + " round " + (rounds - 1));
            assertThat(store().names(id)).containsExactly("creds", "pre-key-0", "pre-key-1", "pre-key-2");
        }
    }

    @Test
    void readersOfABlobBeingRewrittenSeeWholeVersionsOnly() throws Exception {
        Set<String> written = ConcurrentHashMap.newKeySet();
        String first = "v0-" + "x".repeat(20_000);
        written.add(first);
        store().write("race", "creds", bytes(first));
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int r = 1; r <= 30; r++) {
                        String version = "w" + writer + "-r" + r + "-"
                                + String.valueOf((char) ('a' + r % 26)).repeat(r * 700);
                        written.add(version);
                        store().write("race", "creds", bytes(version));
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (writers.stream().anyMatch(f -> !f.isDone())) {
                    assertThat(written)
                            .contains(text(store().read("race", "creds").orElseThrow()));
                    reads++;
                }
                return reads;
            });
            for (Future<?> f : writers) {
                f.get();
            }
            assertThat(reader.get()).isPositive();
        }
        assertThat(written).contains(text(store().read("race", "creds").orElseThrow()));
    }

    @Test
    void theBackendCountsRecordsByKeyAndReplacesOnlyUnchangedRecords() {
        store().write("k1", "creds", bytes("one"));
        store().write("k1", "pre-keys", bytes("two"));
        store().write("k2", "creds", bytes("three"));

        KeyUsage usage = backend().keyUsage();
        if (keys().currentId().isPresent()) {
            assertThat(usage)
                    .isEqualTo(new KeyUsage(0, Map.of(keys().currentId().get(), 3L)));
            assertThat(backend().read("k1", "creds").orElseThrow()).satisfies(r -> {
                assertThat(Envelope.isSealed(r)).isTrue();
                assertThat(new String(r, StandardCharsets.ISO_8859_1)).doesNotContain("one");
            });
        } else {
            assertThat(usage).isEqualTo(new KeyUsage(3, Map.of()));
        }

        byte[] current = backend().read("k1", "creds").orElseThrow();
        assertThat(backend().replace("k1", "creds", bytes("not what is stored"), bytes("lost")))
                .isFalse();
        assertThat(backend().read("k1", "creds"))
                .hasValueSatisfying(r -> assertThat(r).isEqualTo(current));
        assertThat(backend().replace("k1", "creds", current, bytes("replaced"))).isTrue();
        assertThat(text(backend().read("k1", "creds").orElseThrow())).isEqualTo("replaced");
        assertThat(backend().replace("k1", "missing", current, bytes("x"))).isFalse();
        assertThat(backend().read("k1", "missing")).isEmpty();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
