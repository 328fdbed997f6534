package dev.linkwell.service.engine.baileys;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the build installed the Baileys host (surefire's {@code baileys.host.dir}), and the guard of every test
 * that runs it: without Node.js 20+ or the installed packages such a test is skipped with the reason, except on CI
 * (env {@code CI} set), where that is a failure.
 */
final class BaileysInstall {

    private BaileysInstall() {}

    static Path hostDir() {
        return Path.of(System.getProperty("baileys.host.dir", "../engines/baileys"))
                .toAbsolutePath()
                .normalize();
    }

    static void assumeInstalled() {
        Optional<String> problem = new NodeRuntime("node", hostDir()).problem();
        if (problem.isEmpty()) {
            return;
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("the Baileys engine tests cannot run on CI: " + problem.get());
        }
        Assumptions.abort("Baileys engine tests skipped: " + problem.get());
    }

    /** The properties that aim a service at the installed host, with timings shortened for tests. */
    static void configure(Map<String, Object> properties) {
        properties.put("linkwell.baileys.host-dir", hostDir().toString());
        properties.put("linkwell.baileys.connect-timeout", "5s");
        properties.put("linkwell.baileys.restart-backoff-base", "200ms");
        properties.put("linkwell.baileys.restart-backoff-cap", "1s");
    }
}
