package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node host's own tests ({@code engines/baileys/test}, Node's test runner), run with the build so they cannot be
 * forgotten: they check the host's parts against the real Baileys modules where a Java test cannot look inside the
 * process, such as what a socket leaves on the heap when it ends.
 */
class HostScriptsTest {

    @BeforeAll
    static void needsTheHost() {
        BaileysInstall.assumeInstalled();
    }

    @Test
    void theHostsOwnTestsPass(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node-test.log");
        Process node = new ProcessBuilder("node", "--expose-gc", "--test", "test/")
                .directory(BaileysInstall.hostDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = node.waitFor(2, TimeUnit.MINUTES);
        if (!exited) {
            node.destroyForcibly();
        }
        String report = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as(report).isTrue();
        assertThat(node.exitValue()).as(report).isZero();
        assertThat(report).contains("# fail 0").doesNotContain("# pass 0");
    }
}
