package dev.linkwell.service.engine.nativeengine;

import dev.linkwell.protocol.noise.TrustAnchor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.events.SessionEvent;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.LinkedDevice;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.SimulatorEvent;
import dev.linkwell.simulator.WaSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Service + native engine + simulator over real sockets: the HTTP API drives sessions, the engine talks
 * WhatsApp Web (Noise, binary nodes) to the simulator, and simulated phones scan QRs and enter codes.
 * Every wait is bounded ({@link RunningService#WAIT}).
 */
class NativeEngineEndToEndTest {

    private final Path root = TestStorage.tempRoot("linkwell-native-e2e");

    /** PUT, scan the QR with a new phone, wait for ready; returns the device JID. */
    private static String pairByQr(RunningService svc, String id, String number) {
        HttpResponse<String> put = svc.api.put("/sessions/" + id);
        assertThat(put.statusCode()).as(put.body()).isBetween(200, 299);
        Map<String, Object> view = Api.json(put);
        String qr = (String) (view.get("qr") != null ? view.get("qr") : svc.awaitQr(id).get("qr"));
        assertThat(qr.split(",")).hasSize(4);
        Phone phone = svc.simulator().addPhone(number);
        LinkedDevice device = phone.scan(qr);
        svc.awaitStatus(id, "ready");
        return device.jid();
    }

    private static long count(WaSimulator sim, String type, String jid) {
        return sim.events().stream().filter(e -> e.type().equals(type) && jid.equals(e.deviceJid())).count();
    }

    @Test
    void qrScanRestartRequiredOpenThenServiceRestartComesBackWithoutQr() {
        String jid;
        try (RunningService svc = RunningService.start(root);
             EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "alice")) {
            jid = pairByQr(svc, "alice", "5511900000001");
            assertThat(events.of(EventType.QR)).isNotEmpty();
            // the 515 after pairing was handled as "recreate at once", then the login opened
            events.await(EventType.STATUS, e -> "restart_required".equals(e.data().get("reason")), RunningService.WAIT);
            SessionEvent open = events.await(EventType.STATUS, e -> "open".equals(e.data().get("status")), RunningService.WAIT);
            assertThat(open.data().get("jid")).isEqualTo(jid);
            assertThat(svc.simulator().isConnected(jid)).isTrue();
            assertThat(root.resolve("sessions/alice")).isDirectory();
        }
        try (RunningService svc = RunningService.start(root)) {
            Map<String, Object> view = svc.awaitStatus("alice", "ready");
            assertThat(view.get("qr")).isNull();
            WaSimulator sim = svc.simulator();
            sim.awaitConnected(jid, RunningService.WAIT);
            assertThat(sim.events()).extracting(SimulatorEvent::type).doesNotContain("pairing");
        }
    }

    @Test
    void plaintextMessagesAreRelayedLiveAndFromTheOfflineBacklog() {
        try (RunningService svc = RunningService.start(root);
             EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "mia")) {
            String jid = pairByQr(svc, "mia", "5511900000009");
            WaSimulator sim = svc.simulator();
            Phone friend = sim.addPhone("5511900000010");
            String live = sim.sendMessage(jid, friend, "hello live");
            SessionEvent m = events.await(EventType.MESSAGE, e -> live.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(m.data().get("text")).isEqualTo("hello live");
            assertThat(m.data().get("from")).isEqualTo(friend.jid());

            svc.api.delete("/sessions/mia");
            String queued = sim.sendMessage(jid, friend, "while you were away");
            svc.api.put("/sessions/mia");
            SessionEvent q = events.await(EventType.MESSAGE, e -> queued.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(q.data().get("text")).isEqualTo("while you were away");
            long deadline = System.nanoTime() + RunningService.WAIT.toNanos();
            while (!sim.pendingMessages(jid).isEmpty() && System.nanoTime() < deadline) {
                RunningService.sleep(20);
            }
            assertThat(sim.pendingMessages(jid)).as("acked messages are not redelivered").isEmpty();
        }
    }

    @Test
    void closeReopenWithoutQrThenRemove() {
        try (RunningService svc = RunningService.start(root);
             EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "bob")) {
            String jid = pairByQr(svc, "bob", "5511900000002");
            assertThat(Api.json(svc.api.delete("/sessions/bob")).get("status")).isEqualTo("closed");
            long qrs = events.of(EventType.QR).size();
            HttpResponse<String> again = svc.api.put("/sessions/bob");
            assertThat(again.statusCode()).isBetween(200, 299);
            svc.awaitStatus("bob", "ready");
            assertThat(events.of(EventType.QR)).hasSize((int) qrs);
            assertThat(Api.json(svc.api.delete("/sessions/bob/storage")).get("status")).isEqualTo("removed");
            assertThat(root.resolve("sessions/bob")).doesNotExist();
            long deadline = System.nanoTime() + RunningService.WAIT.toNanos();
            while (svc.simulator().device(jid) != null && System.nanoTime() < deadline) {
                RunningService.sleep(20);
            }
            assertThat(svc.simulator().device(jid)).as("the phone dropped the linked device").isNull();
        }
    }

    @Test
    void pairingCodeThroughPutWithPhone() {
        try (RunningService svc = RunningService.start(root)) {
            Phone phone = svc.simulator().addPhone("5511900000003");
            HttpResponse<String> put = svc.api.putJson("/sessions/carol", "{\"phone\":\"5511900000003\"}");
            assertThat(put.statusCode()).as(put.body()).isBetween(200, 299);
            Object code = Api.json(put).get("pairingCode");
            if (code == null) {
                code = svc.awaitSession("carol", s -> s.get("pairingCode") != null, "showing a code").get("pairingCode");
            }
            assertThat((String) code).matches("[1-9A-HJ-NP-TV-Z]{8}");
            LinkedDevice device = phone.enterCode((String) code);
            svc.awaitStatus("carol", "ready");
            assertThat(svc.simulator().isConnected(device.jid())).isTrue();
        }
    }

    @Test
    void qrRefsExhaustedStopsWithReason() {
        try (RunningService svc = RunningService.start(root);
             EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "dave")) {
            svc.api.put("/sessions/dave");
            Map<String, Object> view = svc.awaitStatus("dave", "closed");
            assertThat(view.get("reason")).isEqualTo("qr_refs_exhausted");
            assertThat(events.of(EventType.QR)).hasSize(3);
            events.await(EventType.CLOSED, e -> "qr_refs_exhausted".equals(e.data().get("reason")), RunningService.WAIT);
            RunningService.sleep(500);
            assertThat(svc.session("dave").get("status")).isEqualTo("closed");
        }
    }

    @Test
    void deviceRemovedOnThePhonePurgesCredentials() {
        try (RunningService svc = RunningService.start(root);
             EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "erin")) {
            String jid = pairByQr(svc, "erin", "5511900000004");
            assertThat(root.resolve("sessions/erin")).isDirectory();
            svc.simulator().removeDevice(jid); // <stream:error code="401"><conflict type="device_removed"/>
            svc.awaitStatus("erin", "removed");
            events.await(EventType.REMOVED, RunningService.WAIT);
            assertThat(root.resolve("sessions/erin")).doesNotExist();

            String jid2 = pairByQr(svc, "erin2", "5511900000011");
            svc.simulator().failure(jid2, 401); // <failure reason="401"/>
            Map<String, Object> view = svc.awaitStatus("erin2", "removed");
            assertThat(view.get("reason")).isEqualTo("logged_out");
            assertThat(root.resolve("sessions/erin2")).doesNotExist();
        }
    }

    @Test
    void replacedStopsWithoutReconnecting() {
        try (RunningService svc = RunningService.start(root);
             EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "frank")) {
            String jid = pairByQr(svc, "frank", "5511900000005");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);
            sim.replace(jid);
            Map<String, Object> view = svc.awaitStatus("frank", "closed");
            assertThat(view.get("reason")).isEqualTo("replaced");
            events.await(EventType.CLOSED, e -> Integer.valueOf(440).equals(e.data().get("code")), RunningService.WAIT);
            RunningService.sleep(1500);
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins);
            assertThat(root.resolve("sessions/frank")).isDirectory();
        }
    }

    @Test
    void forbiddenFailureStopsAndKeepsCredentials() {
        try (RunningService svc = RunningService.start(root)) {
            String jid = pairByQr(svc, "fay", "5511900000008");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);
            sim.failure(jid, 403); // <failure reason="403"/>
            Map<String, Object> view = svc.awaitStatus("fay", "closed");
            assertThat(view.get("reason")).isEqualTo("forbidden");
            RunningService.sleep(1000);
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins);
            assertThat(root.resolve("sessions/fay")).isDirectory();
        }
    }

    @Test
    void unavailableAndDroppedConnectionsReconnectWithBackoff() {
        try (RunningService svc = RunningService.start(root);
             EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "grace")) {
            String jid = pairByQr(svc, "grace", "5511900000006");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);

            sim.refuseConnections(Duration.ofMillis(1500));
            sim.streamError(jid, 503);
            svc.awaitSession("grace", s -> "starting".equals(s.get("status")), "reconnecting");
            svc.awaitStatus("grace", "ready");
            List<SessionEvent> retries = events.of(EventType.STATUS).stream()
                    .filter(e -> "reconnecting".equals(e.data().get("status"))).toList();
            assertThat(retries).as("several refused attempts, then success").hasSizeGreaterThanOrEqualTo(2);
            assertThat(retries.getFirst().data().get("reason")).isEqualTo("unavailable");
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins + 1);

            sim.drop(jid);
            long deadline = System.nanoTime() + RunningService.WAIT.toNanos();
            while (count(sim, "logged-in", jid) < logins + 2 && System.nanoTime() < deadline) {
                RunningService.sleep(20);
            }
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins + 2);
            svc.awaitStatus("grace", "ready");
        }
    }

    @Test
    void wrongTrustAnchorIsRefused() {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
            Map<String, Object> props = RunningService.defaults(root);
            props.put("linkwell.simulator.mode", "off");
            props.put("linkwell.native.url", sim.webSocketUrl());
            props.put("linkwell.native.trust-anchor", TrustAnchor.WHATSAPP_ROOT_HEX); // not the simulator's root
            try (RunningService svc = RunningService.start(props)) {
                svc.api.put("/sessions/heidi");
                Map<String, Object> view = svc.awaitStatus("heidi", "closed");
                assertThat(view.get("reason")).isEqualTo("bad_certificate");
                assertThat(view.get("qr")).isNull();
            }
        }
    }

    @Test
    void silentServerIsDetectedAndReconnected() throws Exception {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults().withQrRefTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(1)))) {
            Map<String, Object> props = RunningService.defaults(root);
            props.put("linkwell.simulator.mode", "off");
            props.put("linkwell.native.url", sim.webSocketUrl());
            props.put("linkwell.native.trust-anchor", sim.trustAnchor().hex());
            try (RunningService svc = RunningService.start(props);
                 EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "ivan")) {
                svc.api.put("/sessions/ivan");
                String qr = (String) svc.awaitQr("ivan").get("qr");
                String jid = sim.addPhone("5511900000007").scan(qr).jid();
                svc.awaitStatus("ivan", "ready");
                long logins = count(sim, "logged-in", jid);

                long frozenAt = System.nanoTime();
                // the connection stays open but the server answers nothing, pings included
                sim.silence(jid);
                SessionEvent lost = events.await(EventType.STATUS,
                        e -> "timed_out".equals(e.data().get("reason")), RunningService.WAIT);
                long detectedMs = (System.nanoTime() - frozenAt) / 1_000_000;
                // dead-link timeout 2 s plus one keepalive tick (500 ms) plus scheduling slack
                assertThat(detectedMs).isLessThan(4_000);
                assertThat(lost.data().get("status")).isEqualTo("reconnecting");
                long deadline = System.nanoTime() + RunningService.WAIT.toNanos();
                while (count(sim, "logged-in", jid) <= logins && System.nanoTime() < deadline) {
                    RunningService.sleep(20);
                }
                assertThat(count(sim, "logged-in", jid)).isGreaterThan(logins);
                svc.awaitStatus("ivan", "ready");
                // the engine gave up on the silent link itself; the simulator never ended it
                assertThat(count(sim, "silenced", jid)).isEqualTo(1);
                assertThat(count(sim, "unresponsive", jid)).isZero();
            }
        }
    }

    @Test
    void twentySessionsPairAtOnce() throws Exception {
        try (RunningService svc = RunningService.start(root);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> jids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "bulk-" + i;
                String number = "55119100000" + String.format("%02d", i);
                jids.add(pool.submit(() -> pairByQr(svc, id, number)));
            }
            List<String> linked = new ArrayList<>();
            for (Future<String> f : jids) {
                linked.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(linked).doesNotHaveDuplicates().hasSize(20);
            for (int i = 0; i < 20; i++) {
                assertThat(svc.session("bulk-" + i).get("status")).isEqualTo("ready");
                assertThat(svc.simulator().isConnected(linked.get(i))).isTrue();
                assertThat(Files.isDirectory(root.resolve("sessions/bulk-" + i))).isTrue();
            }
        }
    }
}
