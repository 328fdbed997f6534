package dev.linkwell.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.SessionKeyStore.StoredKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The session rows ({@link SessionStateStore}) and their API key digests ({@link SessionKeyStore}) as every
 * backend keeps them: a session reads back as saved (webhooks and their secrets included), a save replaces
 * it, lists are sorted by id, and deleting a session forgets its keys and credentials with it. Each subclass
 * gives empty stores per test.
 */
abstract class SessionStoresContract {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Instant THEN = Instant.parse("2026-11-25T10:00:00.123456Z");

    abstract SessionStateStore states();

    abstract SessionKeyStore keys();

    abstract CredentialStore credentials();

    abstract String backendName();

    @Test
    void sessionsReadBackAsSavedAndASaveReplaces() {
        StoredSession a = new StoredSession(
                "a",
                "native",
                "51987654321",
                backendName(),
                true,
                THEN,
                List.of(
                        new StoredWebhook(
                                "https://example.com/hook",
                                List.of("session.message", "session.qr"),
                                "0123456789abcdef-secret"),
                        new StoredWebhook("http://127.0.0.1:8080/x", List.of(), null)));
        StoredSession b = new StoredSession("B-2", "baileys", null, backendName(), false, THEN.plusSeconds(1));
        states().save(b);
        states().save(a);

        assertThat(states().load("a")).hasValue(a);
        assertThat(states().load("B-2")).hasValue(b);
        assertThat(states().load("missing")).isEmpty();
        assertThat(states().loadAll())
                .as("sorted as Java sorts ids: upper case first")
                .containsExactly(b, a);

        StoredSession stopped =
                a.withDesiredRunning(false, THEN.plusSeconds(5)).withWebhooks(List.of(), THEN.plusSeconds(6));
        states().save(stopped);

        assertThat(states().load("a")).hasValue(stopped);
        assertThat(states().loadAll()).hasSize(2);
        assertThat(states().backend()).isEqualTo(backendName());
    }

    @Test
    void deletingASessionForgetsItsStateKeysAndCredentials() {
        states().save(new StoredSession("gone", "native", null, backendName(), true, THEN));
        states().save(new StoredSession("kept", "native", null, backendName(), true, THEN));
        keys().save("gone", List.of(new StoredKey("k1", "aa".repeat(32), THEN)));
        keys().save("kept", List.of(new StoredKey("k2", "bb".repeat(32), THEN)));
        credentials().write("gone", "creds", "left behind".getBytes(StandardCharsets.UTF_8));
        credentials().write("kept", "creds", "x".getBytes(StandardCharsets.UTF_8));

        states().delete("gone");
        states().delete("never-existed");

        assertThat(states().load("gone")).isEmpty();
        assertThat(keys().load("gone")).isEmpty();
        assertThat(keys().loadAll()).containsOnlyKeys("kept");
        assertThat(credentials().exists("gone")).isFalse();
        assertThat(states().load("kept")).isPresent();
        assertThat(credentials().exists("kept")).isTrue();
    }

    @Test
    void keysKeepTheirOrderAndAnEmptyListRemovesThem() {
        StoredKey first = new StoredKey("k1", "11".repeat(32), THEN);
        StoredKey second = new StoredKey("k0", "22".repeat(32), THEN.plusSeconds(1));
        keys().save("s2", List.of(new StoredKey("z", "33".repeat(32), THEN)));
        keys().save("s1", List.of(first, second));

        assertThat(keys().load("s1")).containsExactly(first, second);
        assertThat(keys().load("none")).isEmpty();
        Map<String, List<StoredKey>> all = keys().loadAll();
        assertThat(all.keySet()).containsExactly("s1", "s2");
        assertThat(all.get("s1")).containsExactly(first, second);

        keys().save("s1", List.of(second));
        assertThat(keys().load("s1")).containsExactly(second);
        keys().save("s1", List.of());
        assertThat(keys().load("s1")).isEmpty();
        assertThat(keys().loadAll()).containsOnlyKeys("s2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/b", "", "a b", "x'; DROP TABLE session_state; --"})
    void badSessionIdsAreRefused(String id) {
        assertThatThrownBy(() -> states().save(new StoredSession(id, "native", null, backendName(), true, THEN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> states().load(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> states().delete(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys().save(id, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys().load(id)).isInstanceOf(IllegalArgumentException.class);
        assertThat(states().loadAll()).isEmpty();
    }
}
