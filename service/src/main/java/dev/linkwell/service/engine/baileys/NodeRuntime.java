package dev.linkwell.service.engine.baileys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether this machine can run the Baileys host: a Node.js 20+ executable, the host's {@code host.js}, and its npm
 * packages installed next to it. Once everything was found the answer is kept; until then every question looks
 * again, so installing Node while the service runs is enough.
 */
final class NodeRuntime {

    static final int MIN_MAJOR = 20;
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final long VERSION_TIMEOUT_SECONDS = 10;

    private final String node;
    private final Path hostDir;
    private volatile boolean found;

    NodeRuntime(String node, Path hostDir) {
        this.node = node;
        this.hostDir = hostDir.toAbsolutePath().normalize();
    }

    String node() {
        return node;
    }

    Path hostDir() {
        return hostDir;
    }

    Path hostScript() {
        return hostDir.resolve("host.js");
    }

    /** What is missing, in words that say what to install or set; empty when the host can run. */
    Optional<String> problem() {
        if (found) {
            return Optional.empty();
        }
        Optional<String> problem = nodeProblem().or(this::hostProblem);
        found = problem.isEmpty();
        return problem;
    }

    private Optional<String> nodeProblem() {
        String version;
        try {
            version = version();
        } catch (IOException e) {
            return Optional.of("provider 'baileys' needs Node.js " + MIN_MAJOR + " or newer, and '" + node
                    + "' could not be run (" + e.getMessage() + "). Install Node.js " + MIN_MAJOR
                    + "+ (https://nodejs.org, "
                    + "or your package manager) or set BAILEYS_NODE to its path; provider 'native' needs no Node.js");
        }
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return Optional.of("provider 'baileys' needs Node.js " + MIN_MAJOR + " or newer, and '" + node
                    + " --version' printed '" + abbreviate(version) + "'. Set BAILEYS_NODE to a Node.js " + MIN_MAJOR
                    + "+ executable");
        }
        int major = Integer.parseInt(m.group(1));
        if (major < MIN_MAJOR) {
            return Optional.of("provider 'baileys' needs Node.js " + MIN_MAJOR + " or newer, and '" + node + "' is "
                    + m.group() + ". Install Node.js " + MIN_MAJOR
                    + "+ (https://nodejs.org, or your package manager) or set "
                    + "BAILEYS_NODE to a newer one; provider 'native' needs no Node.js");
        }
        return Optional.empty();
    }

    private Optional<String> hostProblem() {
        if (!Files.isRegularFile(hostScript())) {
            return Optional.of(
                    "provider 'baileys' needs its Node host, and there is no " + hostScript()
                            + ". Run the service from the project folder or set BAILEYS_HOST_DIR to the engines/baileys folder");
        }
        if (!Files.isRegularFile(hostDir.resolve("node_modules/baileys/package.json"))) {
            return Optional.of("provider 'baileys' needs its npm packages, and " + hostDir.resolve("node_modules")
                    + " has no baileys. Run " + hostDir.resolve("install.sh")
                    + " (npm ci; the build runs it when npm is there)");
        }
        return Optional.empty();
    }

    /** The first line {@code node --version} prints; IOException when it cannot be run or fails. */
    private String version() throws IOException {
        Process process =
                new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("it did not answer --version within " + VERSION_TIMEOUT_SECONDS + " s");
            }
            String printed = new String(out.readNBytes(4096), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IOException("--version exited with " + process.exitValue() + ": " + abbreviate(printed));
            }
            return printed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking its version", e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String abbreviate(String s) {
        String line = s.lines().findFirst().orElse("");
        return (line.length() > 80 ? line.substring(0, 80) + "..." : line).replaceAll("\\p{Cntrl}", "?");
    }
}
