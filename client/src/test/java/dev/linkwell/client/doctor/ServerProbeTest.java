package dev.linkwell.client.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.linkwell.client.doctor.ProbeStep.Problem;
import dev.linkwell.client.doctor.ProbeStep.Status;
import dev.linkwell.client.doctor.ProbeStep.Step;
import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.version.WaVersion;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The diagnostic probe over real sockets: against the simulator and against servers that misbehave. */
class ServerProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        http.shutdownNow();
    }

    private WaSimulator simulator(SimulatorConfig config) {
        WaSimulator sim = WaSimulator.start(config);
        resources.add(sim);
        return sim;
    }

    private static ClientConfig aimedAt(WaSimulator sim) {
        return ClientConfig.builder()
                .url(URI.create(sim.webSocketUrl()))
                .trustAnchor(sim.trustAnchor().rootPublicKey())
                .connectTimeout(TIMEOUT)
                .build();
    }

    private ProbeReport probe(ClientConfig config) {
        return probe(config, Clock.systemUTC());
    }

    private ProbeReport probe(ClientConfig config, Clock clock) {
        return new ServerProbe(config, http, new SecureRandom(), clock).run();
    }

    private static void assertFailedAt(ProbeReport report, Step step, Problem problem) {
        assertThat(report.ok()).isFalse();
        assertThat(report.failedStep()).as(report.toString()).get().satisfies(s -> {
            assertThat(s.step()).isEqualTo(step);
            assertThat(s.problem()).isEqualTo(problem);
        });
        for (ProbeStep s : report.steps()) {
            Status expected = s.step().ordinal() < step.ordinal()
                    ? Status.PASSED
                    : s.step() == step ? Status.FAILED : Status.SKIPPED;
            assertThat(s.status()).as(s.step() + " in " + report).isEqualTo(expected);
        }
    }

    @Test
    void aGoodRunPassesEveryStepAndLinksNothing() {
        WaSimulator sim = simulator(SimulatorConfig.defaults());
        ProbeReport report = probe(aimedAt(sim));

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(report.failedStep()).isEmpty();
        assertThat(report.steps()).extracting(ProbeStep::step).containsExactly(Step.values());
        assertThat(report.steps()).allSatisfy(s -> assertThat(s.millis()).isNotNegative());
        assertThat(report.version()).isEqualTo(ClientConfig.defaults().versionString());
        assertThat(report.url()).isEqualTo(URI.create(sim.webSocketUrl()));
        assertThat(report.steps().get(0).detail()).isEqualTo("connected to 127.0.0.1 without TLS (ws://)");
        assertThat(report.steps().get(2).detail())
                .startsWith(
                        "signed by the trust anchor " + sim.trustAnchor().hex().substring(0, 8));
        assertThat(report.steps().get(3).detail()).startsWith("version " + report.version() + " accepted");
        assertThat(report.steps().get(4).detail())
                .isEqualTo(sim.config().qrRefCount() + " refs received and decoded with the dictionary v3 tables");

        sim.awaitEvent(e -> e.type().equals("pairing"), Duration.ofSeconds(10));
        sim.awaitEvent(e -> e.type().equals("closed"), Duration.ofSeconds(10));
        assertThat(sim.devices()).isEmpty();
    }

    @Test
    void anOutdatedVersionFailsAtTheVersionStepWith405() {
        WaSimulator sim = simulator(SimulatorConfig.defaults().withMinVersion(WaVersion.parse("2.3000.1099999999")));
        ProbeReport report = probe(aimedAt(sim));

        assertFailedAt(report, Step.VERSION, Problem.CLIENT_OUTDATED);
        assertThat(report.failedStep().orElseThrow().detail())
                .isEqualTo("the server answered <failure reason=\"405\"/>:" + " client outdated, version "
                        + report.version() + " is refused");
        assertThat(sim.events()).anyMatch(e -> e.type().equals("version-refused"));
    }

    @Test
    void aWrongTrustAnchorFailsAtTheCertificateAndSendsNoRegistration() {
        WaSimulator sim = simulator(SimulatorConfig.defaults());
        ClientConfig config = aimedAt(sim).toBuilder()
                .trustAnchor(KeyPair.generate().publicKey())
                .build();
        ProbeReport report = probe(config);

        assertFailedAt(report, Step.CERTIFICATE, Problem.UNTRUSTED_CERTIFICATE);
        assertThat(report.failedStep().orElseThrow().detail()).startsWith("check INTERMEDIATE_SIGNATURE failed");
        sim.awaitEvent(e -> e.type().equals("closed"), Duration.ofSeconds(10));
        assertThat(sim.events()).noneMatch(e -> e.type().equals("pairing"));
    }

    @Test
    void aClockOutsideTheCertificatesValidityIsNamed() {
        WaSimulator sim = simulator(SimulatorConfig.defaults());
        Clock farFuture = Clock.fixed(Instant.parse("2199-01-01T00:00:00Z"), ZoneOffset.UTC);
        ProbeReport report = probe(aimedAt(sim), farFuture);

        assertFailedAt(report, Step.CERTIFICATE, Problem.CERTIFICATE_TIME);
        assertThat(report.failedStep().orElseThrow().detail()).contains("VALIDITY", "expired");
    }

    @Test
    void aServerThatAcceptsTcpAndNeverSpeaksFailsAtTheWebSocketWithinTheTimeout() throws Exception {
        ServerSocket mute = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        resources.add(mute);
        List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    accepted.add(mute.accept()); // held open, never read, never answered
                }
            } catch (IOException closed) {
                accepted.forEach(s -> {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                });
            }
        });
        ClientConfig config = ClientConfig.builder()
                .url(URI.create("ws://127.0.0.1:" + mute.getLocalPort() + "/ws/chat"))
                .connectTimeout(TIMEOUT)
                .build();

        ProbeReport report = probe(config);

        assertFailedAt(report, Step.WEBSOCKET, Problem.NO_ANSWER);
        assertThat(accepted).isNotEmpty();
        mute.close();
        acceptor.join(5000);
    }

    @Test
    void nothingListeningIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ClientConfig config = ClientConfig.builder()
                .url(URI.create("ws://127.0.0.1:" + port + "/ws/chat"))
                .connectTimeout(TIMEOUT)
                .build();
        ProbeReport report = probe(config);

        assertFailedAt(report, Step.WEBSOCKET, Problem.UNREACHABLE);
        assertThat(report.failedStep().orElseThrow().detail()).startsWith("cannot connect to ws://127.0.0.1:" + port);
    }

    @Test
    void anHttpServerThatRefusesTheUpgradeIsNamedWithItsStatus() throws IOException {
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        web.start();
        resources.add(() -> web.stop(0));
        ClientConfig config = ClientConfig.builder()
                .url(URI.create("ws://127.0.0.1:" + web.getAddress().getPort() + "/ws/chat"))
                .connectTimeout(TIMEOUT)
                .build();
        ProbeReport report = probe(config);

        assertFailedAt(report, Step.WEBSOCKET, Problem.UPGRADE_REFUSED);
        assertThat(report.failedStep().orElseThrow().detail()).endsWith("(HTTP 404)");
    }

    @Test
    void aWebSocketServerThatIgnoresTheNoiseHelloFailsAtTheNoiseStep() throws Exception {
        CountDownLatch hello = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        WebSocketServer silent = new WebSocketServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)) {
            @Override
            public void onOpen(WebSocket conn, ClientHandshake handshake) {}

            @Override
            public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

            @Override
            public void onMessage(WebSocket conn, String message) {}

            @Override
            public void onMessage(WebSocket conn, ByteBuffer message) {
                hello.countDown(); // read, never answered
            }

            @Override
            public void onError(WebSocket conn, Exception ex) {}

            @Override
            public void onStart() {
                started.countDown();
            }
        };
        silent.start();
        resources.add(() -> silent.stop(1000));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        ClientConfig config = ClientConfig.builder()
                .url(URI.create("ws://127.0.0.1:" + silent.getPort() + "/ws/chat"))
                .connectTimeout(TIMEOUT)
                .build();
        ProbeReport report = probe(config);

        assertFailedAt(report, Step.NOISE, Problem.NO_ANSWER);
        assertThat(hello.getCount()).isZero();
    }
}
