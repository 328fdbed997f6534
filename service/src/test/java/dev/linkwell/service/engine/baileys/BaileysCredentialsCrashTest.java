package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.storage.FileCredentialStore;
import dev.linkwell.service.support.SigkilledChild;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The storage crash test (storage.CrashSafetyTest) for what the Baileys host writes: a child process writes Baileys
 * creds, prekey batches and Signal sessions through {@link BaileysCredentials} and is killed with SIGKILL at a random
 * moment; after the kill every value reads back complete, from the last round the writer confirmed or the one it was
 * writing, never torn. So Baileys' keys get the same guarantees as the native engine's.
 */
class BaileysCredentialsCrashTest {

    @TempDir
    Path root;

    private final JsonMapper json = JsonMapper.builder().build();

    @RepeatedTest(3)
    void afterAKillEveryBaileysValueIsCompleteAndFromTheLastOrTheNextRound() throws Exception {
        long confirmed = SigkilledChild.run(CrashingBaileysWriter.class, root, 5, 40);

        BaileysCredentials reloaded = new BaileysCredentials(
                new FileCredentialStore(root), CrashingBaileysWriter.SESSION, json, new Object());
        long creds = CrashingBaileysWriter.roundOf(json, reloaded.creds().orElseThrow());
        long session = CrashingBaileysWriter.roundOf(
                json,
                reloaded.get("session", List.of(CrashingBaileysWriter.PEER)).get(CrashingBaileysWriter.PEER));
        assertThat(creds).isIn(confirmed, confirmed + 1);
        assertThat(session).isIn(confirmed, confirmed + 1);
        assertThat(creds).as("creds are written after the keys of their round").isLessThanOrEqualTo(session);

        // every prekey of the confirmed round is there and whole; the blob holds no torn value
        List<String> ids = new ArrayList<>();
        for (long round = 1; round <= confirmed + 1; round++) {
            for (int i = 0; i < CrashingBaileysWriter.PRE_KEYS; i++) {
                ids.add(Long.toString(round * CrashingBaileysWriter.PRE_KEYS + i));
            }
        }
        Map<String, String> preKeys = reloaded.get("pre-key", ids);
        assertThat(preKeys)
                .hasSizeBetween(
                        (int) confirmed * CrashingBaileysWriter.PRE_KEYS,
                        (int) (confirmed + 1) * CrashingBaileysWriter.PRE_KEYS);
        preKeys.values()
                .forEach(v -> assertThat(CrashingBaileysWriter.roundOf(json, v)).isPositive());
    }

    @Test
    void theCheckCatchesATornValue() {
        String value = CrashingBaileysWriter.value(42, 3);
        assertThat(CrashingBaileysWriter.roundOf(json, value)).isEqualTo(42);
        assertThat(CrashingBaileysWriter.roundOf(json, value.substring(0, value.length() / 2)))
                .isEqualTo(-1);
        assertThat(CrashingBaileysWriter.roundOf(json, value.replace("\"pad\":\"k", "\"pad\":\"j")))
                .isEqualTo(-1);
    }
}
