package dev.linkwell.protocol.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates {@code node} on PATH and the conformance folder (system property {@code conformance.dir}, set by
 * the pom). When either is missing the cross-check fails if env {@code CI} is set and is skipped otherwise.
 */
final class NodeConformance {

    private NodeConformance() {}

    static Path conformanceDir(String... requiredModules) {
        String dir = System.getProperty("conformance.dir");
        Path path = dir == null ? null : Path.of(dir).toAbsolutePath().normalize();
        if (path == null || !Files.isDirectory(path)) {
            unavailable("system property conformance.dir is not set to a folder (got " + dir + ")");
        }
        for (String module : requiredModules) {
            if (!Files.isDirectory(path.resolve("node_modules").resolve(module))) {
                unavailable("node module " + module + " is not installed in " + path
                        + "/node_modules; run bash conformance/install.sh");
            }
        }
        return path;
    }

    static String node() {
        String pathEnv = System.getenv().getOrDefault("PATH", "");
        for (String entry : pathEnv.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        unavailable("node is not on PATH");
        return null;
    }

    /** Skips the calling test locally, fails it when CI is set. */
    static void unavailable(String why) {
        if (System.getenv("CI") != null) {
            fail("cross-check cannot run in CI: " + why);
        }
        Assumptions.abort("cross-check skipped: " + why + " (set CI to make this a failure)");
    }

    /** Collects a stream's lines on a daemon thread so a chatty child never blocks on a full pipe. */
    static List<String> drain(java.io.InputStream in, String name) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return lines;
    }
}
