package dev.linkwell.service.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One service node in a JVM of its own ({@link ClusterNodeMain}), so that SIGKILL, SIGSTOP and SIGTERM are real: its
 * output goes to {@code <logs>/<id>.log} (appended across restarts), and {@link #call} reaches its API with the
 * admin key.
 */
final class ClusterNode {

    private static final Duration START = Duration.ofSeconds(90);

    final String id;
    private final List<String> settings;
    private final Path log;
    private final String apiKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process process;
    private volatile int port;

    ClusterNode(String id, List<String> settings, Path logs, String apiKey) {
        this.id = id;
        this.settings = List.copyOf(settings);
        this.log = logs.resolve(id + ".log");
        this.apiKey = apiKey;
    }

    /** Starts the JVM (without waiting for it). */
    ClusterNode launch() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ClusterNodeMain.class.getName()));
        command.addAll(settings);
        command.add("--linkwell.cluster.node-id=" + id);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "==== start " + id + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            port = 0;
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits (bounded) until the node listens. */
    ClusterNode awaitListening() {
        Awaitility.await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive())
                    .as("node %s is running (see %s)", id, log)
                    .isTrue();
            return listeningPort().isPresent();
        });
        port = listeningPort().orElseThrow();
        return this;
    }

    private Optional<Integer> listeningPort() {
        String text = logText();
        int last = text.lastIndexOf("==== start " + id);
        int at = text.indexOf(ClusterNodeMain.PORT, last);
        if (at < 0) {
            return Optional.empty();
        }
        int end = text.indexOf('\n', at);
        return end < 0
                ? Optional.empty()
                : Optional.of(Integer.parseInt(
                        text.substring(at + ClusterNodeMain.PORT.length(), end).strip()));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown of any kind; the kernel closes its sockets. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM: the service's clean shutdown. */
    void stop() throws InterruptedException {
        process.toHandle().destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("node %s stops within a minute", id)
                .isTrue();
    }

    /** SIGSTOP: the whole process freezes, its sockets stay open. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A request with the admin key (or {@code key}), its answer as text; a connection failure is an answer of 0. */
    HttpResponse<String> call(String method, String path, String key) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("X-Api-Key", key == null ? apiKey : key)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** A JSON body with the admin key. */
    HttpResponse<String> callJson(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("X-Api-Key", apiKey)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> call(String method, String path) {
        return call(method, path, null);
    }

    HttpClient http() {
        return http;
    }

    @Override
    public String toString() {
        return id + (alive() ? "[pid " + pid() + ", port " + port + "]" : "[down]");
    }
}
