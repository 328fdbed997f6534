package dev.linkwell.service.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.version.WaVersionResolver;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.version.WaVersion;
import dev.linkwell.service.support.MuteServer;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --doctor} from the command line, against the simulator and a server that never answers. */
class DoctorCommandTest {

    private final Path root = TestStorage.tempRoot("doctor-");

    record Outcome(int status, String out, String err) {}

    private Outcome doctor(String... settings) {
        List<String> args = new ArrayList<>(
                List.of("--doctor", "--linkwell.storage.root=" + root, "--linkwell.native.connect-timeout=2s"));
        args.addAll(List.of(settings));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DoctorCommand.run(
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> aimedAt(WaSimulator sim) {
        return new ArrayList<>(List.of(
                "--linkwell.native.url=" + sim.webSocketUrl(),
                "--linkwell.native.trust-anchor=" + sim.trustAnchor().hex()));
    }

    @Test
    void aGoodRunPrintsEveryStepExitsZeroAndStoresNothing() {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
            Outcome o = doctor(aimedAt(sim).toArray(String[]::new));

            assertThat(o.status()).as(o.out() + o.err()).isZero();
            assertThat(o.out())
                    .contains(
                            "server:       " + sim.webSocketUrl(),
                            "version:      " + WaVersionResolver.BUILT_IN
                                    + " (built-in; fetching http://127.0.0.1:9/sw.js failed: ",
                            "trust anchor: " + sim.trustAnchor().hex(),
                            "Result: every step passed");
            for (String title : List.of(
                    "WebSocket and TLS",
                    "Noise handshake",
                    "Certificate chain",
                    "Version accepted",
                    "Pair-device refs")) {
                assertThat(o.out()).containsPattern("(?m)^  ok    " + title + " +\\d+ ms  ");
            }
            assertThat(o.out()).doesNotContain("What to change");
            assertThat(sim.devices()).isEmpty();
        }
        assertThat(TestStorage.snapshot(root))
                .as("nothing written under STORAGE_ROOT")
                .containsOnlyKeys("");
    }

    @Test
    void anOutdatedVersionFailsWithTheAdviceForTheBuiltInVersion() {
        try (WaSimulator sim =
                WaSimulator.start(SimulatorConfig.defaults().withMinVersion(WaVersion.parse("2.3000.1099999999")))) {
            Outcome o = doctor(aimedAt(sim).toArray(String[]::new));

            assertThat(o.status()).isEqualTo(1);
            assertThat(o.out())
                    .containsPattern("(?m)^  FAIL  Version accepted +\\d+ ms  the server answered"
                            + " <failure reason=\"405\"/>: client outdated");
            assertThat(o.out())
                    .contains(
                            "What to change: The server refuses version " + WaVersionResolver.BUILT_IN
                                    + " as outdated (405). It is the built-in version",
                            "set WA_VERSION to the current WhatsApp Web version");
            assertThat(o.out()).containsPattern("(?m)^  skip  Pair-device refs +  not tried");
            assertThat(o.out()).contains("Result: the step \"Version accepted\" failed");
        }
    }

    @Test
    void aConfiguredVersionThatIsRefusedSaysToUnsetIt() {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
            List<String> args = aimedAt(sim);
            args.add("--linkwell.native.version=2.3000.1019707846");
            Outcome o = doctor(args.toArray(String[]::new));

            assertThat(o.status()).isEqualTo(1);
            assertThat(o.out())
                    .contains(
                            "version:      2.3000.1019707846 (set by WA_VERSION)",
                            "WA_VERSION pins it: unset WA_VERSION");
        }
    }

    @Test
    void aWrongTrustAnchorFailsAtTheCertificate() {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
            Outcome o = doctor(
                    "--linkwell.native.url=" + sim.webSocketUrl(),
                    "--linkwell.native.trust-anchor=" + TrustAnchor.WHATSAPP_ROOT_HEX);

            assertThat(o.status()).isEqualTo(1);
            assertThat(o.out()).containsPattern("(?m)^  FAIL  Certificate chain .*check INTERMEDIATE_SIGNATURE failed");
            assertThat(o.out())
                    .contains("is not signed by WhatsApp's root key", "set WA_TRUST_ANCHOR to its trust anchor");
            assertThat(sim.events()).noneMatch(e -> e.type().equals("pairing"));
        }
    }

    @Test
    void aServerThatNeverAnswersFailsAtTheWebSocketWithinTheTimeout() throws Exception {
        try (MuteServer mute = new MuteServer()) {
            Outcome o = doctor("--linkwell.native.url=" + mute.webSocketUrl());

            assertThat(o.status()).isEqualTo(1);
            assertThat(o.out()).containsPattern("(?m)^  FAIL  WebSocket and TLS ");
            assertThat(o.out()).contains("What to change: Nothing answered within 2 s");
            assertThat(mute.accepted()).isPositive();
        }
    }

    @Test
    void anUnusableConfigurationExitsTwoNamingTheSetting() {
        Outcome badVersion = doctor("--linkwell.native.version=latest");
        assertThat(badVersion.status()).isEqualTo(2);
        assertThat(badVersion.err())
                .contains("cannot run: linkwell.native.version (env WA_VERSION): 'latest' is not a version");
        assertThat(badVersion.out()).isEmpty();

        Outcome demo = doctor("--linkwell.simulator.mode=embedded");
        assertThat(demo.status()).isEqualTo(2);
        assertThat(demo.err()).contains("--doctor checks the server WA_URL names", "GET /diagnostics/whatsapp");
    }
}
