package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.engine.nativeengine.RunningService;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.LinkedDevice;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.PhoneProfile;
import dev.linkwell.simulator.SimulatorEvent;
import dev.linkwell.simulator.WaSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Service + Baileys engine (the real Node host around baileys@7.0.0-rc14) + the embedded simulator, over real
 * sockets: the HTTP API drives sessions, Baileys speaks WhatsApp Web to the simulator, simulated phones scan QRs,
 * enter codes and send messages. Every wait is bounded ({@link RunningService#WAIT}).
 */
@ExtendWith(OutputCaptureExtension.class)
class BaileysEngineEndToEndTest {

    private final Path root = TestStorage.tempRoot("linkwell-baileys-e2e");

    @BeforeAll
    static void needsTheHost() {
        BaileysInstall.assumeInstalled();
    }

    static RunningService start(Path root) {
        return RunningService.start(properties(root));
    }

    static Map<String, Object> properties(Path root) {
        Map<String, Object> props = RunningService.defaults(root);
        BaileysInstall.configure(props);
        return props;
    }

    /** PUT with provider baileys, scan the QR with a new phone, wait for ready; returns the device JID. */
    static String pairByQr(RunningService svc, String id, String number) {
        HttpResponse<String> put = svc.api.putJson("/sessions/" + id, "{\"provider\":\"baileys\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Map<String, Object> view = Api.json(put);
        assertThat(view.get("provider")).isEqualTo("baileys");
        String qr = (String)
                (view.get("qr") != null ? view.get("qr") : svc.awaitQr(id).get("qr"));
        // Baileys 7's QR: the URL form, ending with the platform id of the browser it presents (Chrome: 1)
        assertThat(qr).startsWith("https://wa.me/settings/linked_devices#").endsWith(",1");
        Phone phone = svc.simulator().addPhone(number);
        LinkedDevice device = phone.scan(qr);
        svc.awaitStatus(id, "ready");
        // the first login uploads Baileys' 812 prekeys (INITIAL_PREKEY_COUNT); wait for it, so a test's server command
        // does not meet the upload in flight
        RunningService.awaitTrue(
                "812 prekeys uploaded",
                () -> svc.simulator().preKeys(device.jid()).size() >= 812);
        return device.jid();
    }

    static long count(WaSimulator sim, String type, String jid) {
        return sim.events().stream()
                .filter(e -> e.type().equals(type) && jid.equals(e.deviceJid()))
                .count();
    }

    static void awaitCount(WaSimulator sim, String type, String jid, long atLeast) {
        RunningService.awaitTrue(atLeast + " " + type + " events of " + jid, () -> count(sim, type, jid) >= atLeast);
    }

    @Test
    void qrScanRestartOpenMessageInThenServiceRestartComesBackWithoutQr() throws Exception {
        String jid;
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "alice")) {
            jid = pairByQr(svc, "alice", "5511930000001");
            assertThat(events.of(EventType.QR)).isNotEmpty();
            events.await(
                    EventType.STATUS,
                    e -> "restart_required".equals(e.data().get("reason"))
                            && Integer.valueOf(515).equals(e.data().get("code")),
                    RunningService.WAIT);
            EventRecorder.Event open =
                    events.await(EventType.STATUS, e -> "open".equals(e.data().get("status")), RunningService.WAIT);
            assertThat(open.data().get("jid")).isEqualTo(jid);
            assertThat(svc.simulator().isConnected(jid)).isTrue();

            // a message from another phone, sent while the session is closed: it waits on the server and arrives in
            // the login backlog (live messages are in the simulator's Baileys conformance runs)
            assertThat(Api.json(svc.api.delete("/sessions/alice")).get("status"))
                    .isEqualTo("closed");
            Phone friend = svc.simulator().addPhone("5511930000002");
            String id = svc.simulator().sendMessage(jid, friend, "hello baileys");
            assertThat(svc.api.put("/sessions/alice").statusCode()).isEqualTo(200);
            EventRecorder.Event m =
                    events.await(EventType.MESSAGE, e -> id.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(m.data())
                    .containsEntry("chat", friend.jid())
                    .containsEntry("from", friend.jid())
                    .containsEntry("fromMe", false)
                    .containsEntry("type", "text")
                    .containsEntry("text", "hello baileys");
            assertThat(((Number) m.data().get("timestamp")).longValue()).isPositive();
            assertThat(m.data()).containsKey("raw");
            @SuppressWarnings("unchecked")
            Map<String, Object> raw = (Map<String, Object>) m.data().get("raw");
            @SuppressWarnings("unchecked")
            Map<String, Object> key = (Map<String, Object>) raw.get("key");
            assertThat(key)
                    .containsEntry("id", id)
                    .containsEntry("remoteJid", friend.jid())
                    .containsEntry("fromMe", false);
            assertThat(raw.get("message")).isEqualTo(Map.of("conversation", "hello baileys"));
            svc.awaitStatus("alice", "ready");
            RunningService.awaitTrue(
                    "the message confirmed, so not delivered again",
                    () -> svc.simulator().pendingMessages(jid).isEmpty());

            // credentials and keys went through the CredentialStore: 0600 blobs, Baileys' creds among them
            Path creds = root.resolve("sessions/alice/creds");
            assertThat(creds.resolve(BaileysCredentials.CREDS)).isRegularFile();
            assertThat(creds.resolve(BaileysCredentials.PRE_KEYS)).isRegularFile();
            try (Stream<Path> files = Files.list(creds)) {
                // temp files of writes in flight start with a dot and may be gone by the time they are looked at
                for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("."))
                        .toList()) {
                    assertThat(Files.getPosixFilePermissions(file))
                            .as(file.toString())
                            .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                }
            }
            assertThat(Files.readString(creds.resolve(BaileysCredentials.CREDS)))
                    .contains(jid.split(":")[0]);
        }
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "alice")) {
            Map<String, Object> view = svc.awaitStatus("alice", "ready");
            assertThat(view.get("qr")).isNull();
            assertThat(view.get("provider")).isEqualTo("baileys");
            svc.simulator().awaitConnected(jid, RunningService.WAIT);
            assertThat(events.of(EventType.QR)).isEmpty();
            assertThat(svc.simulator().events())
                    .extracting(SimulatorEvent::type)
                    .doesNotContain("pairing");
        }
    }

    @Test
    void pairingCodeThroughPutWithPhone() {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "carol")) {
            Phone phone = svc.simulator().addPhone("5511930000003");
            HttpResponse<String> put =
                    svc.api.putJson("/sessions/carol", "{\"provider\":\"baileys\",\"phone\":\"5511930000003\"}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            Object code = Api.json(put).get("pairingCode");
            if (code == null) {
                code = svc.awaitSession("carol", s -> s.get("pairingCode") != null, "showing a code")
                        .get("pairingCode");
            }
            assertThat((String) code).matches("[1-9A-HJ-NP-TV-Z]{8}");
            assertThat(events.of(EventType.QR))
                    .as("a pairing-code session shows no QR")
                    .allSatisfy(e -> assertThat(e.data()).containsOnlyKeys("pairingCode"));
            LinkedDevice device = phone.enterCode((String) code);
            svc.awaitStatus("carol", "ready");
            assertThat(svc.simulator().isConnected(device.jid())).isTrue();
            events.await(
                    EventType.STATUS, e -> "restart_required".equals(e.data().get("reason")), RunningService.WAIT);
        }
    }

    /** 440: closed, reason replaced, credentials kept, no reconnect; started again it logs in without a QR. */
    @Test
    void replacedStopsAndKeepsCredentials() {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "dan")) {
            String jid = pairByQr(svc, "dan", "5511930000004");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);
            sim.replace(jid);
            Map<String, Object> view = svc.awaitStatus("dan", "closed");
            assertThat(view.get("reason")).isEqualTo("replaced");
            EventRecorder.Event closed = events.await(EventType.CLOSED, RunningService.WAIT);
            assertThat(closed.data()).containsEntry("reason", "replaced").containsEntry("code", 440);
            RunningService.watchFor(Duration.ofMillis(500), () -> count(sim, "logged-in", jid) == logins);
            assertThat(count(sim, "logged-in", jid)).as("no reconnect").isEqualTo(logins);
            assertThat(root.resolve("sessions/dan/creds/" + BaileysCredentials.CREDS))
                    .isRegularFile();

            long qrs = events.of(EventType.QR).size();
            assertThat(svc.api.put("/sessions/dan").statusCode()).isEqualTo(200);
            assertThat(svc.awaitStatus("dan", "ready").get("provider"))
                    .as("the stored provider is kept")
                    .isEqualTo("baileys");
            assertThat(events.of(EventType.QR)).hasSize((int) qrs);
        }
    }

    /** 401 (device removed on the phone): removed, credentials purged, and no late write brings them back. */
    @Test
    void deviceRemovedOnThePhonePurgesCredentials() {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "erin")) {
            String jid = pairByQr(svc, "erin", "5511930000005");
            svc.simulator().removeDevice(jid);
            svc.awaitStatus("erin", "removed");
            EventRecorder.Event removed = events.await(EventType.REMOVED, RunningService.WAIT);
            assertThat(removed.data()).containsEntry("reason", "logged_out").containsEntry("code", 401);
            RunningService.watchFor(Duration.ofMillis(500), () -> !Files.exists(root.resolve("sessions/erin")));
            assertThat(root.resolve("sessions/erin")).doesNotExist();
        }
    }

    /** The user logs out: the phone drops the device, the folder is gone. */
    @Test
    void logoutThroughTheApiRemovesTheDevice() {
        try (RunningService svc = start(root)) {
            String jid = pairByQr(svc, "fred", "5511930000006");
            assertThat(Api.json(svc.api.delete("/sessions/fred/storage")).get("status"))
                    .isEqualTo("removed");
            RunningService.awaitTrue(
                    "the phone dropped the linked device", () -> svc.simulator().device(jid) == null);
            RunningService.watchFor(Duration.ofMillis(300), () -> !Files.exists(root.resolve("sessions/fred")));
            assertThat(root.resolve("sessions/fred")).doesNotExist();
        }
    }

    /** failure 405 at login: closed, client_outdated, the version sent named, not retried. */
    @Test
    void anOutdatedVersionIsRefusedWith405AndNotRetried() {
        Map<String, Object> props = properties(root);
        props.put("linkwell.simulator.min-version", "2.3000.1999999999");
        try (RunningService svc = RunningService.start(props);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "old")) {
            svc.api.putJson("/sessions/old", "{\"provider\":\"baileys\"}");
            svc.assertRefusedAsOutdatedOnce("old", events);
        }
    }

    /** failure 402: closed, credentials kept, the ban's facts in the event, no reconnect. */
    @Test
    void temporaryBanClosesKeepsCredentialsAndSaysUntilWhen() {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "gus")) {
            String jid = pairByQr(svc, "gus", "5511930000007");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);
            sim.temporaryBan(jid, 101, Duration.ofHours(1));
            assertThat(svc.awaitStatus("gus", "closed").get("reason")).isEqualTo("temporarily_banned");
            EventRecorder.Event closed = events.await(EventType.CLOSED, RunningService.WAIT);
            assertThat(closed.data()).containsEntry("code", 402).containsEntry("banCode", 101);
            assertThat(((Number) closed.data().get("expire")).longValue()).isBetween(3500L, 3600L);
            RunningService.watchFor(Duration.ofMillis(500), () -> count(sim, "logged-in", jid) == logins);
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins);
            assertThat(root.resolve("sessions/gus/creds/" + BaileysCredentials.CREDS))
                    .isRegularFile();
        }
    }

    /** A LID-addressed phone: the event names the LID as sent and the phone number from the stanza. */
    @Test
    void lidAddressedMessagesCarryBothAddresses() {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "lia")) {
            String jid = pairByQr(svc, "lia", "5511930000008");
            WaSimulator sim = svc.simulator();
            Phone friend = sim.addPhone("5511930000009", PhoneProfile.LID);
            svc.api.delete("/sessions/lia");
            String id = sim.sendMessage(jid, friend, "hello from a lid");
            svc.api.put("/sessions/lia");
            EventRecorder.Event m =
                    events.await(EventType.MESSAGE, e -> id.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(m.data())
                    .containsEntry("from", friend.lid())
                    .containsEntry("fromPn", friend.jid())
                    .containsEntry("chat", friend.lid())
                    .containsEntry("fromMe", false)
                    .containsEntry("text", "hello from a lid");
        }
    }

    /**
     * The host process killed with SIGKILL in the middle of its sessions: each session reports a dropped connection,
     * a new host starts (restart backoff), and every session logs in again from its stored credentials, no QR.
     */
    @Test
    void theHostKilledWithSigkillComesBackAndItsSessionsResume() {
        try (RunningService svc = start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class))) {
            WaSimulator sim = svc.simulator();
            List<String> jids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                jids.add(pairByQr(svc, "kill-" + i, "55119300001" + i));
            }
            BaileysHost host = svc.bean(BaileysEngine.class).host();
            HostProcess first = host.current();
            Map<String, Long> logins = new java.util.HashMap<>();
            jids.forEach(jid -> logins.put(jid, count(sim, "logged-in", jid)));
            long qrs = events.of(EventType.QR).size();

            ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // SIGKILL on POSIX

            for (int i = 0; i < 3; i++) {
                String id = "kill-" + i;
                events.await(
                        EventType.STATUS,
                        e -> id.equals(e.sessionId())
                                && "reconnecting".equals(e.data().get("status"))
                                && "connection_closed".equals(e.data().get("reason"))
                                && String.valueOf(e.data().get("detail")).contains("killed by signal 9"),
                        RunningService.WAIT);
                awaitCount(sim, "logged-in", jids.get(i), logins.get(jids.get(i)) + 1);
                svc.awaitStatus(id, "ready");
            }
            assertThat(host.current()).isNotNull();
            assertThat(host.current().pid()).as("a new host").isNotEqualTo(first.pid());
            assertThat(events.of(EventType.QR))
                    .as("resumed from credentials, no new QR")
                    .hasSize((int) qrs);
        }
    }

    /** Twenty sessions pair at once, all in one host process. */
    @Test
    void twentySessionsInOneHost() throws Exception {
        try (RunningService svc = start(root)) {
            List<String> linked = RunningService.concurrently(
                    20,
                    Duration.ofMinutes(2),
                    i -> pairByQr(svc, "bulk-" + i, "55119400000" + String.format("%02d", i)));
            assertThat(linked).doesNotHaveDuplicates().hasSize(20);
            BaileysHost host = svc.bean(BaileysEngine.class).host();
            assertThat(host.socketCount()).isEqualTo(20);
            for (int i = 0; i < 20; i++) {
                assertThat(svc.session("bulk-" + i).get("status")).isEqualTo("ready");
                assertThat(svc.simulator().isConnected(linked.get(i))).isTrue();
                assertThat(root.resolve("sessions/bulk-" + i + "/creds/" + BaileysCredentials.CREDS))
                        .isRegularFile();
            }
            List<Long> pids = ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("host.js"))
                    .map(ProcessHandle::pid)
                    .toList();
            assertThat(pids)
                    .as("one Node host for all sessions")
                    .containsExactly(host.current().pid());
        }
    }

    /** DEFAULT_PROVIDER=baileys: a PUT without a provider runs on Baileys. */
    @Test
    void defaultProviderBaileys() {
        Map<String, Object> props = properties(root);
        props.put("linkwell.sessions.default-provider", "baileys");
        try (RunningService svc = RunningService.start(props)) {
            HttpResponse<String> put = svc.api.put("/sessions/dflt");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(Api.json(put).get("provider")).isEqualTo("baileys");
            assertThat((String) svc.awaitQr("dflt").get("qr")).startsWith("https://wa.me/settings/linked_devices#");
        }
    }

    /**
     * Baileys' own lines reach SLF4J under the logger {@code baileys} with the session id in the MDC: from WARN by
     * default, with its DEBUG lines when BAILEYS_DEBUG is set (the host's pino level follows the logger's level).
     */
    @Test
    void baileysLogsGoToSlf4jWithTheSessionIdAndShowDebugWithTheSwitch(CapturedOutput output) {
        try (RunningService svc = start(root)) {
            pairByQr(svc, "quiet", "5511930000031");
        }
        assertThat(output.getOut()).doesNotContainPattern("(DEBUG|INFO) \\d+ --- \\[[^\\]]*\\] \\[quiet\\] baileys ");
        Map<String, Object> props = properties(root);
        props.put("BAILEYS_DEBUG", "true");
        try (RunningService svc = RunningService.start(props)) {
            pairByQr(svc, "loud", "5511930000032");
        }
        assertThat(output.getOut()).containsPattern("DEBUG \\d+ --- \\[[^\\]]*\\] \\[loud\\] baileys ");
    }
}
