package dev.linkwell.service.engine.baileys;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One running {@code node host.js}: the process, the {@link HostLink} on its stdin and stdout, and a thread that
 * logs what it writes to stderr (Node's own crash reports land there).
 */
final class HostProcess {

    private static final Logger log = LoggerFactory.getLogger(HostProcess.class);
    private static final int MAX_STDERR_LINE = 8 * 1024;

    private final Process process;
    private final HostLink link;
    private final long startedAtNanos = System.nanoTime();
    private final int number;

    private HostProcess(
            Process process,
            Function<HostProcess, HostLink.Peer> peer,
            JsonMapper json,
            int maxLineBytes,
            Duration requestTimeout,
            ScheduledExecutorService timer,
            Executor work,
            int number) {
        this.process = process;
        this.number = number;
        this.link = new HostLink(
                process.getInputStream(),
                process.getOutputStream(),
                json,
                maxLineBytes,
                requestTimeout,
                timer,
                work,
                peer.apply(this),
                "baileys-host-" + number);
    }

    /** Starts {@code node [options] host.js} in the host folder and its reader threads. */
    static HostProcess launch(
            NodeRuntime runtime,
            List<String> nodeOptions,
            Function<HostProcess, HostLink.Peer> peer,
            JsonMapper json,
            int maxLineBytes,
            Duration requestTimeout,
            ScheduledExecutorService timer,
            Executor work,
            int number)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(runtime, nodeOptions))
                .directory(runtime.hostDir().toFile());
        builder.environment().put("NODE_ENV", "production");
        HostProcess host =
                new HostProcess(builder.start(), peer, json, maxLineBytes, requestTimeout, timer, work, number);
        host.link.start();
        Thread.ofPlatform().daemon().name("baileys-host-" + number + "-stderr").start(host::logStderr);
        return host;
    }

    /** The host's command line: Node's own options (a heap limit) come before the script. */
    static List<String> command(NodeRuntime runtime, List<String> nodeOptions) {
        List<String> command = new ArrayList<>();
        command.add(runtime.node());
        command.addAll(nodeOptions);
        command.add(runtime.hostScript().toString());
        return command;
    }

    HostLink link() {
        return link;
    }

    long pid() {
        return process.pid();
    }

    int number() {
        return number;
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    /** Waits (bounded) for the process to end and says how it ended, in words. */
    String awaitExit(Duration wait) {
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return "stopped answering and was killed";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return "was killed (interrupted while waiting for it)";
        }
        int code = process.exitValue();
        // Java reports a process killed by signal N as 128 + N
        return code > 128 && code < 160 ? "was killed by signal " + (code - 128) : "exited with code " + code;
    }

    void destroy() {
        process.destroyForcibly();
    }

    private void logStderr() {
        BoundedLineReader reader = new BoundedLineReader(process.getErrorStream(), MAX_STDERR_LINE);
        try {
            String line;
            while ((line = reader.next(bytes ->
                            log.warn("Baileys host {} wrote a stderr line of {} bytes (not shown)", number, bytes)))
                    != null) {
                if (!line.isBlank()) {
                    log.warn("Baileys host {} (stderr): {}", number, line);
                }
            }
        } catch (IOException e) {
            log.debug("Reading the Baileys host's stderr ended: {}", e.toString());
        }
    }
}
