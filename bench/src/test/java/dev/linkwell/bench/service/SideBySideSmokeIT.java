package dev.linkwell.bench.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.bench.harness.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side-by-side harness with two sessions per engine, every step of it: the simulator, a service per engine from
 * its jar, pairing through the API, readings of both processes, a restart and the restore, Signal-encrypted traffic
 * from contacts and groups and the reading after it, and the throughput ramp, with the service (and its Node host)
 * pinned to one core as {@code --service-cpus} pins them. Figures are not asserted
 * (two sessions on a shared machine say nothing); that every step yields one is, so the harness cannot rot.
 */
class SideBySideSmokeIT {

    private static final Path SERVICE_JAR = Path.of(System.getProperty("bench.serviceJar"));
    private static final Path BAILEYS_HOST = Path.of(System.getProperty("bench.baileysHostDir"));

    @Test
    void everyStepYieldsItsFiguresForBothEngines(@TempDir Path profiles) throws Exception {
        List<String> engines = engines();
        // one core of those this JVM may use: the service and its Node host must run on it alone
        String core = firstCore(ProcFs.cpusAllowed(ProcessHandle.current().pid()));
        SideBySideOptions options = SideBySideOptions.defaults()
                .smoke()
                .withPaths(SERVICE_JAR, BAILEYS_HOST)
                .withEngines(engines)
                .withHostProfiles(profiles)
                .withServiceCpus(core);

        SideBySide.Outcome outcome = new SideBySide(options, System.out).run();

        assertThat(outcome.results()).extracting(EngineResult::engine).containsExactlyElementsOf(engines);
        for (EngineResult r : outcome.results()) {
            assertThat(r.error()).as(r.engine()).isNull();
            assertThat(r.drops()).as(r.engine()).isEmpty();
            assertThat(r.readings())
                    .extracting(Reading::label)
                    .containsExactly("0", "2", "2 restored", "2 after traffic");
            for (Reading reading : r.readings()) {
                Reading.ProcessReading service = reading.service();
                assertThat(service.rssKiB()).isPositive();
                assertThat(service.heapBytes()).isPositive();
                assertThat(service.javaThreads()).isPositive();
                assertThat(service.osThreads()).isGreaterThan(service.javaThreads());
                assertThat(service.idleCpuPercent()).isNotNegative();
                assertThat(service.cpus()).isEqualTo(core);
                assertThat(reading.simulatorRssKiB()).isPositive();
            }
            for (Reading reading : r.readings().subList(1, 4)) {
                Reading.ProcessReading host = reading.host();
                if (r.engine().equals("baileys")) {
                    // read through the probe the service's environment loaded into its Node host
                    assertThat(host).isNotNull();
                    assertThat(host.rssKiB()).isPositive();
                    assertThat(host.heapBytes()).isPositive();
                    assertThat(host.offHeapBytes()).isPositive();
                    assertThat(host.osThreads()).isPositive();
                    assertThat(host.cpus())
                            .as("the host inherits the service's cores")
                            .isEqualTo(core);
                    assertThat(reading.hostEventLoop()).isNotNull();
                } else {
                    assertThat(host).isNull();
                    assertThat(reading.hostEventLoop()).isNull();
                }
            }
            assertThat(r.putToQr().count()).isEqualTo(2);
            assertThat(r.putToQr().at(0)).isPositive();
            assertThat(r.readings().getFirst().serviceThreads()).isNotEmpty();
            assertThat(r.pairing()).singleElement().satisfies(p -> {
                assertThat(p.to()).isEqualTo(2);
                assertThat(p.cpuSeconds()).isPositive();
            });
            assertThat(r.restores()).singleElement().satisfies(restore -> {
                assertThat(restore.sessions()).isEqualTo(2);
                // each restored session connected at least once, and the simulator counted it
                assertThat(restore.attempts()).isGreaterThanOrEqualTo(2);
                assertThat(restore.peakPerSecond()).isPositive();
                assertThat(restore.untilAllOpen()).isGreaterThanOrEqualTo(restore.untilReady());
            });
            // 2 contacts and 2 groups of 2 wrote to each of the 2 sessions, and every message arrived decrypted
            assertThat(r.traffic()).isNotNull();
            assertThat(r.traffic().sessions()).isEqualTo(2);
            assertThat(r.traffic().messages()).isEqualTo(2 * (2 + 2 * 2));
            assertThat(r.traffic().undecryptable()).isZero();
            assertThat(r.throughput()).isNotEmpty();
            for (Throughput.Step step : r.throughput()) {
                assertThat(step.sent()).isPositive();
                assertThat(step.delivered() + step.lost()).isEqualTo(step.sent());
            }
            Throughput.Step first = r.throughput().getFirst();
            if (first.delivered() > 0) {
                assertThat(first.latency().at(0.5)).isPositive();
            }
        }
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.report()).contains("| 2 |", "PUT to QR over 2 sessions");
        if (engines.contains("baileys")) {
            // the host sampled its CPU in each step, and its own code and Baileys' are in the profile
            for (String step : List.of("pairing-0-1", "until-traffic", "traffic")) {
                CpuProfileSummary summary =
                        CpuProfileSummary.read(profiles.resolve("baileys-host-" + step + ".cpuprofile"));
                assertThat(summary.totalMicros()).as(step).isPositive();
            }
            assertThat(CpuProfileSummary.read(profiles.resolve("baileys-host-pairing-0-1.cpuprofile"))
                            .packages())
                    .extracting(CpuProfileSummary.Share::name)
                    .contains("baileys", "(host's own code)", "(garbage collector)");
        }
        if (engines.size() == 2) {
            assertThat(outcome.report())
                    .contains(
                            "### Side by side",
                            "| RSS, 2 sessions |",
                            "| RSS per session, (2 - 0) / 2 |",
                            "| heap per session, (2 restored - 0) / 2 |",
                            "| restart to all 2 sessions open |",
                            "| RSS, 2 after traffic sessions |",
                            "| heap growth per session from traffic, (2 after traffic - 2) / 2 |",
                            "| traffic delivered, messages per second |",
                            "| latency p99 at 5 messages/s offered |");
        }
    }

    private static String firstCore(String cpuList) {
        Matcher m = Pattern.compile("^\\d+").matcher(cpuList);
        assertThat(m.find()).as("cores this JVM may use: %s", cpuList).isTrue();
        return m.group();
    }

    /** Both engines; the native one alone, saying why, where Node or the Baileys host is missing (not on CI). */
    private static List<String> engines() {
        boolean node = !SideBySide.nodeVersion().equals("not found");
        boolean host = Files.isRegularFile(BAILEYS_HOST.resolve("node_modules/baileys/package.json"));
        if (node && host) {
            return SideBySideOptions.ENGINES;
        }
        String why = !node ? "node is not on the PATH" : "the Baileys host is not installed in " + BAILEYS_HOST;
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI must run the Baileys engine too: " + why);
        }
        System.out.println("SideBySideSmokeIT: native engine only, " + why);
        return List.of("native");
    }
}
