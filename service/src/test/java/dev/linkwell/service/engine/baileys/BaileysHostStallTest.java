package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.engine.nativeengine.RunningService;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.WaSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The Baileys host's event loop stalled, here by freezing the whole process (SIGSTOP, then SIGCONT). Baileys ends a
 * socket whose keepalive tick finds no frame decoded for {@code keepAliveIntervalMs} + 5 s (rc14
 * {@code lib/Socket/socket.js}, {@code startKeepAliveRequest}). The last frame of an idle socket is the answer to the
 * previous tick's ping, so what the rule tolerates is about 5 s of lateness of one tick, whatever the interval: a
 * longer stall drops connections that are alive (BENCHMARKS.md, run 12), and the service must bring them back from
 * their credentials, without a QR. The simulator's own pings are off, so that no frame arrives during the freeze.
 */
@ExtendWith(OutputCaptureExtension.class)
class BaileysHostStallTest {

    private static final Duration KEEPALIVE = Duration.ofSeconds(1);

    private final Path root = TestStorage.tempRoot("linkwell-baileys-stall");

    @BeforeAll
    static void needsTheHost() {
        BaileysInstall.assumeInstalled();
    }

    private static RunningService start(Path root) {
        Map<String, Object> props = BaileysEngineEndToEndTest.properties(root);
        props.put("linkwell.baileys.keepalive-interval", KEEPALIVE.toMillis() + "ms");
        props.put("linkwell.simulator.server-ping-interval", "0s");
        return RunningService.start(props);
    }

    @Test
    void aStallShorterThanFiveSecondsDropsNothing() throws Exception {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "calm")) {
            String jid = BaileysEngineEndToEndTest.pairByQr(svc, "calm", "5511930000301");
            WaSimulator sim = svc.simulator();
            long logins = BaileysEngineEndToEndTest.count(sim, "logged-in", jid);
            int statuses = events.of(EventType.STATUS).size();

            freeze(svc, Duration.ofSeconds(3));
            Thread.sleep(KEEPALIVE.multipliedBy(3).toMillis()); // three more ticks, each of which would have ended it

            assertThat(events.of(EventType.STATUS)).as("no status change").hasSize(statuses);
            assertThat(BaileysEngineEndToEndTest.count(sim, "logged-in", jid)).isEqualTo(logins);
            assertThat(sim.isConnected(jid)).isTrue();
        }
    }

    @Test
    void aLongerStallEndsTheConnectionAndTheSessionComesBackWithoutQr(CapturedOutput output) throws Exception {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "stalled")) {
            String jid = BaileysEngineEndToEndTest.pairByQr(svc, "stalled", "5511930000302");
            WaSimulator sim = svc.simulator();
            long logins = BaileysEngineEndToEndTest.count(sim, "logged-in", jid);
            int qrs = events.of(EventType.QR).size();

            // a ping answered while the process is frozen is decoded before the late tick runs, and then the tick
            // finds a fresh frame: a window of one loopback round trip per second, so a second freeze settles it
            Optional<EventRecorder.Event> lost = Optional.empty();
            for (int attempt = 0; attempt < 2 && lost.isEmpty(); attempt++) {
                freeze(svc, Duration.ofSeconds(8));
                lost = connectionLost(events, Duration.ofSeconds(5));
            }
            assertThat(lost).as("Baileys declared the connection lost").isPresent();
            assertThat(String.valueOf(lost.get().data().get("detail"))).contains("Connection was lost");

            BaileysEngineEndToEndTest.awaitCount(sim, "logged-in", jid, logins + 1);
            svc.awaitStatus("stalled", "ready");
            assertThat(sim.isConnected(jid)).isTrue();
            assertThat(events.of(EventType.QR))
                    .as("back from its credentials, no new QR")
                    .hasSize(qrs);
            // the host said why (lib/loop-watch.js), in the service's log next to the lost connection
            assertThat(output.getAll())
                    .containsPattern("WARN \\d+ --- .* baileys +: the event loop stalled")
                    .contains("Baileys ends a socket whose keepalive runs about 5 s late");
        }
    }

    private static Optional<EventRecorder.Event> connectionLost(EventRecorder events, Duration within)
            throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            Optional<EventRecorder.Event> lost = events.of(EventType.STATUS).stream()
                    .filter(e -> "reconnecting".equals(e.data().get("status"))
                            && "timed_out".equals(e.data().get("reason")))
                    .findFirst();
            if (lost.isPresent() || System.nanoTime() > end) {
                return lost;
            }
            Thread.sleep(100);
        }
    }

    /** Stops the host process for {@code howLong}, as a stalled event loop would, and always lets it go on. */
    private static void freeze(RunningService svc, Duration howLong) throws IOException, InterruptedException {
        long pid = svc.bean(BaileysEngine.class).host().current().pid();
        signal("STOP", pid);
        try {
            Thread.sleep(howLong.toMillis());
        } finally {
            signal("CONT", pid);
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        assertThat(kill.waitFor()).as("kill -" + name + " " + pid).isZero();
    }
}
