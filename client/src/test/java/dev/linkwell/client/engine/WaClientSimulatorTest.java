package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.store.CredentialSignalStore;
import dev.linkwell.client.store.CredentialsRepository;
import dev.linkwell.client.store.MemoryCredentialStore;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.time.ManualScheduler;
import dev.linkwell.simulator.LinkedDevice;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.RecordedNode;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.UploadedPreKey;
import dev.linkwell.simulator.WaSimulator;
import dev.linkwell.simulator.junit.SimulatorExtension;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine against the loopback WhatsApp simulator over real sockets. */
class WaClientSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final SimulatorExtension simulator = SimulatorExtension.started(SimulatorConfig.defaults()
            .withQrRefCount(3)
            .withQrRefTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1)));

    private WaSimulator sim;
    private ClientRuntime runtime;
    private MemoryCredentialStore store;

    record Event(String type, String value, DisconnectReason reason) {}

    static final class Recorder implements EngineListener {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void on(EngineEvent event) {
            events.add(
                    switch (event) {
                        case EngineEvent.Qr qr -> new Event("qr", qr.text(), null);
                        case EngineEvent.PairingCode code -> new Event("code", code.code(), null);
                        case EngineEvent.Paired paired -> new Event("paired", paired.jid(), null);
                        case EngineEvent.Opened opened -> new Event("open", opened.jid(), null);
                        case EngineEvent.MessageReceived m ->
                            new Event("message", String.valueOf(m.data().get("text")), null);
                        case EngineEvent.Disconnected d ->
                            new Event("disconnect", d.why().detail(), d.why().reason());
                    });
        }

        Event next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(e).as("event " + type).isNotNull();
                if (e.type().equals(type)) {
                    return e;
                }
                assertThat(e.type()).as("unexpected event " + e).isIn("qr", "paired");
            }
        }
    }

    @BeforeEach
    void start() {
        sim = simulator.get();
        runtime = new ClientRuntime();
        store = new MemoryCredentialStore();
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private ClientConfig config() {
        return ClientConfig.builder()
                .url(URI.create(sim.webSocketUrl()))
                .trustAnchor(sim.trustAnchor().rootPublicKey())
                .qrFirstTimeout(Duration.ofSeconds(3))
                .qrNextTimeout(Duration.ofSeconds(1))
                .keepaliveInterval(Duration.ofSeconds(1))
                .deadLinkTimeout(Duration.ofSeconds(3))
                .build();
    }

    private WaClient client(String id, Optional<String> phone, Recorder r) {
        WaClient c = new WaClient(runtime, config(), id, store, phone, r);
        c.connect();
        return c;
    }

    @Test
    void qrScanPairsThenLogsInAfter515() throws Exception {
        Phone phone = sim.addPhone("5511999990001");
        Recorder first = new Recorder();
        client("s1", Optional.empty(), first);
        String qr = first.next("qr").value();
        CompletableFuture<LinkedDevice> scanned = CompletableFuture.supplyAsync(() -> phone.scan(qr));
        String jid = first.next("paired").value();
        Event restart = first.next("disconnect");
        assertThat(restart.reason()).isEqualTo(DisconnectReason.RESTART_REQUIRED);
        assertThat(scanned.get(20, TimeUnit.SECONDS).jid()).isEqualTo(jid);
        assertThat(new CredentialsRepository(store, "s1").load())
                .hasValueSatisfying(c -> assertThat(c.me()).isEqualTo(jid));

        Recorder second = new Recorder();
        WaClient c2 = client("s1", Optional.empty(), second);
        assertThat(second.next("open").value()).isEqualTo(jid);
        await().atMost(WAIT).until(() -> !sim.preKeys(jid).isEmpty());
        assertThat(sim.preKeys(jid))
                .as("812 at the first login (whatsmeow, Baileys 7)")
                .hasSize(812);
        // the first upload makes the phone write to its new companion (app-state key, history notification): its
        // first message is a pre-key message built on the first prekey handed out, which is then gone here too
        await().atMost(WAIT)
                .until(() ->
                        new CredentialsRepository(store, "s1").appStateKeys().size() == 1);
        CredentialSignalStore signal = signalStore("s1");
        assertThat(signal.preKeyCount()).isEqualTo(811);
        assertThat(signal.preKey(1)).isEmpty();
        assertThat(signal.preKey(812)).isPresent();
        assertThat(store.names("s1")).contains("creds", "pre-keys", "lid-map", "app-state-keys");
        c2.close();
        assertThat(second.next("disconnect").reason()).isEqualTo(DisconnectReason.USER_CLOSED);
    }

    private CredentialSignalStore signalStore(String sessionId) {
        CredentialsRepository repository = new CredentialsRepository(store, sessionId);
        return repository.signal(repository.load().orElseThrow());
    }

    private static void awaitPreKeys(WaSimulator sim, String jid, int count) {
        await().atMost(WAIT).until(() -> sim.preKeys(jid).size() >= count);
        assertThat(sim.preKeys(jid)).hasSize(count);
    }

    @Test
    void aLowPreKeyNotificationIsAckedAndAnsweredWithANewBatch() throws Exception {
        Phone phone = sim.addPhone("5511999990010");
        Recorder first = new Recorder();
        client("s7", Optional.empty(), first);
        String qr = first.next("qr").value();
        CompletableFuture.supplyAsync(() -> phone.scan(qr));
        String jid = first.next("paired").value();
        first.next("disconnect");
        Recorder r = new Recorder();
        WaClient c = client("s7", Optional.empty(), r);
        r.next("open");
        awaitPreKeys(sim, jid, 812); // the upload after the first login

        // at the client's threshold (fewer than 5 uploads): acked, nothing uploaded
        String plenty = sim.notifyLowPreKeys(jid, 5);
        sim.takeNode(jid, n -> n.tag().equals("ack") && plenty.equals(n.node().attr("id")), WAIT);
        // the server runs low: acked, then one more batch of 50 with fresh ids
        String low = sim.notifyLowPreKeys(jid, 4);
        RecordedNode ack = sim.takeNode(
                jid, n -> n.tag().equals("ack") && low.equals(n.node().attr("id")), WAIT);
        assertThat(ack.node().attr("class")).isEqualTo("notification");
        assertThat(ack.node().attr("type")).isEqualTo("encrypt");
        assertThat(ack.node().attr("to")).isEqualTo("@s.whatsapp.net");
        awaitPreKeys(sim, jid, 862);
        assertThat(sim.preKeys(jid))
                .extracting(UploadedPreKey::id)
                .doesNotHaveDuplicates()
                .contains(813, 862);
        assertThat(signalStore("s7").preKey(813)).isPresent();
        assertThat(signalStore("s7").preKey(862)).isPresent();
        // nothing more follows: the client handles stanzas in order, so once it acked a later notification
        // (one that asks for no upload) any upload the earlier one caused has reached the server
        String later = sim.notifyLowPreKeys(jid, 5);
        sim.takeNode(jid, n -> n.tag().equals("ack") && later.equals(n.node().attr("id")), WAIT);
        assertThat(sim.preKeys(jid)).hasSize(862);
        c.close();
        r.next("disconnect");
    }

    /**
     * A stanza that does not decode (here: unassigned tag 240) is logged and skipped, as whatsmeow does; the
     * connection stays open and the next stanza is handled (the prekey notification gets its ack).
     */
    @Test
    void anUndecodableStanzaIsSkippedAndTheConnectionLivesOn() throws Exception {
        Phone phone = sim.addPhone("5511999990011");
        Recorder first = new Recorder();
        client("s8", Optional.empty(), first);
        String qr = first.next("qr").value();
        CompletableFuture.supplyAsync(() -> phone.scan(qr));
        String jid = first.next("paired").value();
        first.next("disconnect");
        Recorder r = new Recorder();
        WaClient c = client("s8", Optional.empty(), r);
        r.next("open");

        sim.sendRawStanza(jid, new byte[] {(byte) 0xf8, 0x01, (byte) 0xf0});
        String after = sim.notifyLowPreKeys(jid, 20);
        sim.takeNode(jid, n -> n.tag().equals("ack") && after.equals(n.node().attr("id")), WAIT);
        assertThat(sim.isConnected(jid)).isTrue();
        assertThat(r.events).noneMatch(e -> e.type().equals("disconnect"));
        c.close();
        assertThat(r.next("disconnect").reason()).isEqualTo(DisconnectReason.USER_CLOSED);
    }

    @Test
    void qrRefsRunOut() throws Exception {
        // the engine's time moves only here: each QR is shown until the test moves past its lifetime
        ManualScheduler clock = new ManualScheduler();
        ClientConfig slowKeepalive = config().toBuilder()
                .keepaliveInterval(Duration.ofMinutes(1))
                .deadLinkTimeout(Duration.ofMinutes(2))
                .build();
        try (ClientRuntime manual = new ClientRuntime(clock, new SecureRandom())) {
            Recorder r = new Recorder();
            new WaClient(manual, slowKeepalive, "s2", store, Optional.empty(), r).connect();
            int qrs = 0;
            Event e;
            while ((e = r.events.poll(20, TimeUnit.SECONDS)) != null && e.type().equals("qr")) {
                qrs++;
                clock.advance(qrs == 1 ? Duration.ofSeconds(3) : Duration.ofSeconds(1));
            }
            assertThat(qrs).isEqualTo(3);
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(DisconnectReason.QR_REFS_EXHAUSTED);
        }
    }

    @Test
    void pairingCode() throws Exception {
        Phone phone = sim.addPhone("5511999990002");
        Recorder r = new Recorder();
        client("s3", Optional.of("5511999990002"), r);
        String code = r.next("code").value();
        assertThat(code).hasSize(8);
        CompletableFuture<LinkedDevice> linked = CompletableFuture.supplyAsync(() -> phone.enterCode(code));
        String jid = r.next("paired").value();
        assertThat(r.next("disconnect").reason()).isEqualTo(DisconnectReason.RESTART_REQUIRED);
        assertThat(linked.get(20, TimeUnit.SECONDS).jid()).isEqualTo(jid);
        Recorder again = new Recorder();
        client("s3", Optional.of("5511999990002"), again);
        assertThat(again.next("open").value()).isEqualTo(jid);
    }

    @Test
    void wrongTrustAnchorIsRefused() throws Exception {
        Recorder r = new Recorder();
        ClientConfig bad = config().toBuilder()
                .trustAnchorHex(TrustAnchor.WHATSAPP_ROOT_HEX)
                .build();
        new WaClient(runtime, bad, "s4", store, Optional.empty(), r).connect();
        Event e = r.next("disconnect");
        assertThat(e.reason()).isEqualTo(DisconnectReason.BAD_CERTIFICATE);
        assertThat(e.value()).contains("certificate");
    }

    @Test
    void damagedCredentialsRefuseToStartInsteadOfPairingAnew() {
        store.write("s5", "creds", new byte[] {'L', 'W', 'C', 'R', 0, 1, 1, 0});
        WaClient c = new WaClient(runtime, config(), "s5", store, Optional.empty(), new Recorder());
        org.assertj.core.api.Assertions.assertThatThrownBy(c::connect)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be read");
        assertThat(store.read("s5", "creds")).isPresent();
    }

    @Test
    void logoutRightAfterOpenUnlinksTheDevice() throws Exception {
        Phone phone = sim.addPhone("5511999990009");
        Recorder first = new Recorder();
        client("s6", Optional.empty(), first);
        String qr = first.next("qr").value();
        CompletableFuture.supplyAsync(() -> phone.scan(qr));
        String jid = first.next("paired").value();
        first.next("disconnect");
        for (int i = 0; i < 5; i++) {
            Recorder r = new Recorder();
            WaClient c = client("s6", Optional.empty(), r);
            r.next("open");
            if (i < 4) {
                c.close();
                r.next("disconnect");
                continue;
            }
            c.logout();
            assertThat(r.next("disconnect").reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(sim.device(jid))
                        .as("the server forgot the device")
                        .isNull());
    }
}
