package dev.linkwell.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.storage.FileCredentialStore;
import dev.linkwell.service.storage.FileSessionStateStore;
import dev.linkwell.service.storage.StoredSession;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.TestStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** A storage root written before boot: exactly the sessions that were running and have credentials start again. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        properties = {
            "linkwell.sessions.default-provider=scripted",
            "linkwell.sessions.restore-parallelism=2",
            "linkwell.sessions.start-wait=1s",
        })
class SessionRestoreTest {

    /** Restored sockets show no QR, so each holds its restore slot for the whole start wait. */
    @TestConfiguration(proxyBeanMethods = false)
    static class QuietEngine {
        @Bean
        ScriptedEngine scriptedEngine() {
            return new ScriptedEngine().stayQuiet("run-a", "run-b", "run-c");
        }
    }

    private static final Path ROOT = TestStorage.tempRoot("linkwell-restore");

    @Autowired
    ScriptedEngine engine;

    @Autowired
    SessionService sessions;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        FileCredentialStore credentials = new FileCredentialStore(ROOT);
        FileSessionStateStore states =
                new FileSessionStateStore(ROOT, JsonMapper.builder().build());
        Instant then = Instant.parse("2026-11-24T12:00:00Z");
        for (String id : new String[] {"run-a", "run-b", "run-c"}) {
            states.save(new StoredSession(id, "scripted", null, "file", true, then));
            credentials.write(id, "creds", ("creds-of-" + id).getBytes(StandardCharsets.UTF_8));
        }
        states.save(new StoredSession("never-paired", "scripted", null, "file", true, then));
        states.save(new StoredSession("stopped", "scripted", null, "file", false, then));
        credentials.write("stopped", "creds", "creds-of-stopped".getBytes(StandardCharsets.UTF_8));
        try {
            Files.writeString(ROOT.resolve("sessions/run-a/creds/.creds.dead.tmp"), "torn");
            // Files nobody can read as a session: skipped loudly, the boot goes on.
            Files.createDirectories(ROOT.resolve("sessions/dir-json/session.json"));
            Files.createDirectories(ROOT.resolve("sessions/garbled"));
            Files.writeString(ROOT.resolve("sessions/garbled/session.json"), "{\"sessionId\": \"garbled\", ");
            Files.createDirectories(ROOT.resolve("sessions/run-b/api-keys.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("linkwell.storage.root", ROOT::toString);
    }

    @Test
    void startsExactlyTheRunningSessionsWithCredentialsAndKnowsTheOthers() {
        for (String id : new String[] {"run-a", "run-b", "run-c"}) {
            ScriptedEngine.Start start = engine.awaitStart(id, 1, Duration.ofSeconds(10));
            assertThat(start.credentials()).hasValue("creds-of-" + id);
            assertThat(start.mdcSessionId()).isEqualTo(id);
        }
        assertThat(engine.startedSessionIds()).containsExactlyInAnyOrder("run-a", "run-b", "run-c");

        assertThat(sessions.list())
                .extracting(SessionView::sessionId)
                .containsExactly("never-paired", "run-a", "run-b", "run-c", "stopped");
        assertThat(sessions.get("stopped").status()).isEqualTo(SessionStatus.CLOSED);
        assertThat(sessions.get("never-paired").status()).isEqualTo(SessionStatus.CLOSED);
        assertThat(sessions.get("run-a").status()).isEqualTo(SessionStatus.STARTING);
        assertThat(ROOT.resolve("sessions/run-a/creds/.creds.dead.tmp")).doesNotExist();
    }

    @Test
    void unreadableSessionFilesAreSkippedLoudlyAndTheBootGoesOn(CapturedOutput boot) {
        assertThat(sessions.list()).extracting(SessionView::sessionId).doesNotContain("dir-json", "garbled");
        assertThat(boot.getAll())
                .containsPattern("ERROR .*Skipping session 'dir-json': .*session\\.json cannot be read")
                .containsPattern("ERROR .*Skipping session 'garbled': .*session\\.json is not valid")
                .containsPattern("ERROR .*API keys of session 'run-b': .*cannot be read");
    }

    @Test
    void atMostRestoreParallelismSessionsConnectAtOnce() {
        long a = engine.awaitStart("run-a", 1, Duration.ofSeconds(10)).atNanos();
        long b = engine.awaitStart("run-b", 1, Duration.ofSeconds(10)).atNanos();
        long c = engine.awaitStart("run-c", 1, Duration.ofSeconds(10)).atNanos();

        // Two slots: the third session waits until one of the first two used up its 1 s start wait.
        assertThat(Duration.ofNanos(c - Math.min(a, b))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(Duration.ofNanos(Math.abs(b - a))).isLessThan(Duration.ofMillis(900));
    }
}
