package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Deadline;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Linkwell service, run from its jar as a user runs it ({@code java -jar linkwell-service.jar}) in a child
 * process of its own, with nothing but the environment this class sets: file storage in its own folder, the
 * simulator as WhatsApp, the engine under test as the default provider. Its log goes to a file next to the storage.
 */
final class ServiceProcess implements AutoCloseable {

    /** The WhatsApp Web version the service reports (its built-in one), so it fetches nothing at start. */
    static final String WA_VERSION = "2.3000.1045649367";

    private static final Duration READY_WAIT = Duration.ofMinutes(4);
    private static final Duration STOP_WAIT = Duration.ofSeconds(90);

    private final Process process;
    private final ServiceApi api;
    private final Path log;
    private final long startedNanos;

    private ServiceProcess(Process process, ServiceApi api, Path log, long startedNanos) {
        this.process = process;
        this.api = api;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /**
     * How to start the service of one engine; every start of it uses the same storage.
     *
     * @param cpus the cores it may use, as {@code taskset -c} takes them (its Node host inherits them), or null for
     *     every core
     */
    record Launch(
            Path jar,
            List<String> jvmOptions,
            String cpus,
            Map<String, String> settings,
            Path workDir,
            String engine,
            String simulatorUrl,
            String trustAnchor,
            Path baileysHostDir,
            NodeProbe nodeProbe) {

        Map<String, String> environment(int port) {
            Map<String, String> env = new LinkedHashMap<>();
            // only what a shell needs to find node; nothing of the caller's own Linkwell settings (API_KEY,
            // WEBHOOK_URL...)
            for (String keep : List.of("PATH", "HOME", "LANG", "TMPDIR")) {
                String v = System.getenv(keep);
                if (v != null) {
                    env.put(keep, v);
                }
            }
            env.putAll(settings);
            env.put("PORT", Integer.toString(port));
            env.put("STORAGE", "file");
            env.put("STORAGE_ROOT", workDir.resolve("storage").toString());
            env.put("WA_URL", simulatorUrl);
            env.put("WA_TRUST_ANCHOR", trustAnchor);
            env.put("WA_VERSION", WA_VERSION);
            env.put("DEFAULT_PROVIDER", engine);
            env.put("BAILEYS_HOST_DIR", baileysHostDir.toAbsolutePath().toString());
            env.putAll(nodeProbe.environment(settings.get("NODE_OPTIONS")));
            return env;
        }

        /** Starts the service and returns once it answers its readiness probe. */
        ServiceProcess start(Deadline deadline) throws IOException, InterruptedException {
            Files.createDirectories(workDir);
            int port = freePort();
            List<String> cmd = new ArrayList<>();
            if (cpus != null) {
                // taskset execs the JVM: the process started here is the service itself
                cmd.addAll(List.of("taskset", "-c", cpus));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.add("-jar");
            cmd.add(jar.toAbsolutePath().toString());
            Path log = workDir.resolve("service.log");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(workDir.toFile()) // no .env of the caller's is read
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().clear();
            pb.environment().putAll(environment(port));
            long started = System.nanoTime();
            Process p = pb.start();
            ServiceProcess service =
                    new ServiceProcess(p, new ServiceApi(URI.create("http://127.0.0.1:" + port + "/")), log, started);
            service.awaitReady(deadline);
            return service;
        }
    }

    ServiceApi api() {
        return api;
    }

    long pid() {
        return process.pid();
    }

    /** When this process was started ({@link System#nanoTime()}). */
    long startedNanos() {
        return startedNanos;
    }

    /** The Baileys host this service started, if it runs one (its only Node child). */
    Optional<ProcessHandle> nodeHost() {
        return process.children()
                .filter(c -> c.info().command().map(cmd -> cmd.endsWith("node")).orElse(false))
                .findFirst();
    }

    private void awaitReady(Deadline deadline) throws InterruptedException {
        long until = System.nanoTime()
                + Math.min(READY_WAIT.toNanos(), deadline.remaining().toNanos());
        while (!api.ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the service exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            if (System.nanoTime() > until) {
                process.destroyForcibly();
                throw new IllegalStateException("the service was not ready within " + READY_WAIT + "; see " + log);
            }
            Thread.sleep(100);
        }
    }

    /** Stops it as an operator does (SIGTERM: a graceful shutdown that keeps every session to be restored). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("the service did not stop within " + STOP_WAIT + "; killed it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            api.close();
        }
    }

    /** For the overall-timeout path: no waiting. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
