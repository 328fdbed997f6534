package dev.linkwell.service.engine.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.LinkedDevice;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.PhoneProfile;
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

    private static long count(WaSimulator sim, String type, String jid) {
        return sim.events().stream()
                .filter(e -> e.type().equals(type) && jid.equals(e.deviceJid()))
                .count();
    }

    @Test
    void qrScanRestartRequiredOpenThenServiceRestartComesBackWithoutQr() {
        String jid;
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "alice")) {
            jid = svc.pairByQr("alice", "5511900000001");
            assertThat(events.of(EventType.QR)).isNotEmpty();
            // the 515 after pairing was handled as "recreate at once", then the login opened
            events.await(
                    EventType.STATUS, e -> "restart_required".equals(e.data().get("reason")), RunningService.WAIT);
            EventRecorder.Event open =
                    events.await(EventType.STATUS, e -> "open".equals(e.data().get("status")), RunningService.WAIT);
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
    void messagesAreRelayedLiveAndFromTheOfflineBacklog() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "mia")) {
            String jid = svc.pairByQr("mia", "5511900000009");
            WaSimulator sim = svc.simulator();
            Phone friend = sim.addPhone("5511900000010");
            String live = sim.sendMessage(jid, friend, "hello live");
            EventRecorder.Event m =
                    events.await(EventType.MESSAGE, e -> live.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(m.data().get("text")).isEqualTo("hello live");
            assertThat(m.data().get("from")).isEqualTo(friend.jid());

            svc.api.delete("/sessions/mia");
            String queued = sim.sendMessage(jid, friend, "while you were away");
            svc.api.put("/sessions/mia");
            EventRecorder.Event q =
                    events.await(EventType.MESSAGE, e -> queued.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(q.data().get("text")).isEqualTo("while you were away");
            RunningService.awaitWhile(() -> !sim.pendingMessages(jid).isEmpty());
            assertThat(sim.pendingMessages(jid))
                    .as("acked messages are not redelivered")
                    .isEmpty();
        }
    }

    @Test
    void closeReopenWithoutQrThenRemove() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "bob")) {
            String jid = svc.pairByQr("bob", "5511900000002");
            assertThat(Api.json(svc.api.delete("/sessions/bob")).get("status")).isEqualTo("closed");
            long qrs = events.of(EventType.QR).size();
            HttpResponse<String> again = svc.api.put("/sessions/bob");
            assertThat(again.statusCode()).isBetween(200, 299);
            svc.awaitStatus("bob", "ready");
            assertThat(events.of(EventType.QR)).hasSize((int) qrs);
            assertThat(Api.json(svc.api.delete("/sessions/bob/storage")).get("status"))
                    .isEqualTo("removed");
            assertThat(root.resolve("sessions/bob")).doesNotExist();
            RunningService.awaitWhile(() -> svc.simulator().device(jid) != null);
            assertThat(svc.simulator().device(jid))
                    .as("the phone dropped the linked device")
                    .isNull();
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
                code = svc.awaitSession("carol", s -> s.get("pairingCode") != null, "showing a code")
                        .get("pairingCode");
            }
            assertThat((String) code).matches("[1-9A-HJ-NP-TV-Z]{8}");
            LinkedDevice device = phone.enterCode((String) code);
            svc.awaitStatus("carol", "ready");
            assertThat(svc.simulator().isConnected(device.jid())).isTrue();
        }
    }

    /**
     * companion_hello is a query: when the server refuses it (here scripted: the 400 WhatsApp gives a display
     * it does not accept), no code is shown, the PUT answers 502 with the server's words, and the session
     * ends closed; a later PUT starts afresh.
     */
    @Test
    void aRefusedPairingCodeRequestFailsThePutAndClosesTheSession() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "gil")) {
            Phone phone = svc.simulator().addPhone("5511900000012");
            svc.simulator().refuseNextPairingCodeRequest(400);
            HttpResponse<String> put = svc.api.putJson("/sessions/gil", "{\"phone\":\"5511900000012\"}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(502);
            assertThat((String) Api.json(put).get("detail"))
                    .contains("400")
                    .contains("bad-request")
                    .contains("Chrome (Linux)");
            Map<String, Object> view = svc.session("gil");
            assertThat(view.get("status")).isEqualTo("closed");
            assertThat(view.get("reason")).isEqualTo("pairing_failed");
            assertThat(view.get("pairingCode")).isNull();
            assertThat(events.of(EventType.QR)).as("no code was shown").isEmpty();
            EventRecorder.Event closed = events.await(EventType.CLOSED, RunningService.WAIT);
            assertThat(closed.data()).containsEntry("reason", "pairing_failed").containsEntry("code", 400);

            HttpResponse<String> again = svc.api.putJson("/sessions/gil", "{\"phone\":\"5511900000012\"}");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            String code = (String) svc.awaitSession("gil", s -> s.get("pairingCode") != null, "showing a code")
                    .get("pairingCode");
            phone.enterCode(code);
            svc.awaitStatus("gil", "ready");
        }
    }

    /**
     * A LID-addressed phone (messages from {@code user@lid} with {@code sender_pn}, as the server sends
     * one-to-one messages today): the event carries the address as sent and the phone-number form, and the
     * engine keeps the pair in the session's lid-map, so a later message without sender_pn still has it.
     */
    @Test
    void lidAddressedMessagesCarryBothAddresses() throws Exception {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "lia")) {
            String jid = svc.pairByQr("lia", "5511900000013");
            WaSimulator sim = svc.simulator();
            Phone friend = sim.addPhone("5511900000014", PhoneProfile.LID);
            String id = sim.sendMessage(jid, friend, "hello from a lid");
            EventRecorder.Event m =
                    events.await(EventType.MESSAGE, e -> id.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(m.data())
                    .containsEntry("from", friend.lid())
                    .containsEntry("fromPn", friend.jid())
                    .containsEntry("chat", friend.lid())
                    .containsEntry("fromMe", false)
                    .containsEntry("text", "hello from a lid");
            String lidMap = Files.readString(root.resolve("sessions/lia/creds/lid-map"));
            assertThat(lidMap).contains(friend.lid().replace("@lid", "") + " " + friend.number());

            Phone plain = sim.addPhone("5511900000015");
            String id2 = sim.sendMessage(jid, plain, "hello from a number");
            EventRecorder.Event m2 =
                    events.await(EventType.MESSAGE, e -> id2.equals(e.data().get("id")), RunningService.WAIT);
            assertThat(m2.data()).containsEntry("from", plain.jid()).doesNotContainKey("fromPn");
        }
    }

    /** A hosted business phone links: HMAC and account signature with the 06 05 prefix, as whatsmeow checks. */
    @Test
    void aHostedBusinessPhoneLinks() {
        try (RunningService svc = RunningService.start(root)) {
            Phone phone = svc.simulator().addPhone("5511900000016", PhoneProfile.HOSTED_BUSINESS);
            svc.api.put("/sessions/biz");
            String qr = (String) svc.awaitQr("biz").get("qr");
            LinkedDevice device = phone.scan(qr);
            Map<String, Object> view = svc.awaitStatus("biz", "ready");
            assertThat(view.get("connection")).isEqualTo("open");
            assertThat(svc.simulator().isConnected(device.jid())).isTrue();
        }
    }

    /**
     * Every stanza with an id is acked as whatsmeow acks it, including top-level status and appdata (which
     * the server redelivers at every login until acked, then ends the stream over): after a reconnect
     * nothing is replayed and the stream is never force-closed.
     */
    @Test
    void statusAndAppdataStanzasAreAckedSoNothingIsReplayed() {
        try (RunningService svc = RunningService.start(root)) {
            String jid = svc.pairByQr("ack", "5511900000017");
            WaSimulator sim = svc.simulator();
            Phone friend = sim.addPhone("5511900000018");
            String status = sim.sendStanza(jid, "status", friend);
            String appdata = sim.sendStanza(jid, "appdata", friend);
            String notification = sim.notifyLowPreKeys(jid, 20);
            for (String[] owed :
                    new String[][] {{"status", status}, {"appdata", appdata}, {"notification", notification}}) {
                sim.takeNode(
                        jid,
                        n -> n.tag().equals("ack")
                                && owed[0].equals(n.node().attr("class"))
                                && owed[1].equals(n.node().attr("id")),
                        RunningService.WAIT);
            }
            RunningService.awaitWhile(() -> !sim.unacked(jid).isEmpty());
            assertThat(sim.unacked(jid)).isEmpty();
            long logins = count(sim, "logged-in", jid);
            sim.drop(jid);
            RunningService.awaitWhile(() -> count(sim, "logged-in", jid) <= logins);
            svc.awaitStatus("ack", "ready");
            assertThat(count(sim, "replayed", jid)).isZero();
            assertThat(count(sim, "force-closed", jid)).isZero();
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
            events.await(
                    EventType.CLOSED, e -> "qr_refs_exhausted".equals(e.data().get("reason")), RunningService.WAIT);
            RunningService.watchFor(
                    Duration.ofMillis(500),
                    () -> "closed".equals(svc.session("dave").get("status")));
            assertThat(svc.session("dave").get("status")).isEqualTo("closed");
        }
    }

    @Test
    void deviceRemovedOnThePhonePurgesCredentials() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "erin")) {
            String jid = svc.pairByQr("erin", "5511900000004");
            assertThat(root.resolve("sessions/erin")).isDirectory();
            svc.simulator().removeDevice(jid); // <stream:error code="401"><conflict type="device_removed"/>
            svc.awaitStatus("erin", "removed");
            events.await(EventType.REMOVED, RunningService.WAIT);
            assertThat(root.resolve("sessions/erin")).doesNotExist();

            String jid2 = svc.pairByQr("erin2", "5511900000011");
            svc.simulator().failNextLogin(jid2, 401); // <failure reason="401"/> at the next connect
            svc.simulator().drop(jid2);
            Map<String, Object> view = svc.awaitStatus("erin2", "removed");
            assertThat(view.get("reason")).isEqualTo("logged_out");
            assertThat(root.resolve("sessions/erin2")).doesNotExist();
        }
    }

    @Test
    void replacedStopsWithoutReconnecting() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "frank")) {
            String jid = svc.pairByQr("frank", "5511900000005");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);
            sim.replace(jid);
            Map<String, Object> view = svc.awaitStatus("frank", "closed");
            assertThat(view.get("reason")).isEqualTo("replaced");
            events.await(
                    EventType.CLOSED, e -> Integer.valueOf(440).equals(e.data().get("code")), RunningService.WAIT);
            RunningService.watchFor(Duration.ofMillis(1500), () -> count(sim, "logged-in", jid) == logins);
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins);
            assertThat(root.resolve("sessions/frank")).isDirectory();
        }
    }

    /**
     * The failure table of issue 8 (whatsmeow connectionevents.go handleConnectFailure), row by row against
     * the simulator: the session ends as the row says, with the server's code in the event, and a stopped
     * session is not reconnected.
     */
    @Test
    void everyRowOfTheFailureTable() {
        record Row(int reason, String status, String wireReason, boolean credentialsKept) {}
        List<Row> rows = List.of(
                new Row(401, "removed", "logged_out", false),
                new Row(403, "removed", "logged_out", false),
                new Row(406, "removed", "logged_out", false),
                new Row(405, "closed", "client_outdated", true),
                new Row(409, "closed", "user_agent_rejected", true),
                new Row(418, "closed", "connect_failure", true));
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class))) {
            WaSimulator sim = svc.simulator();
            int n = 0;
            for (Row row : rows) {
                String id = "fail-" + row.reason();
                String jid = svc.pairByQr(id, "55119200000" + (10 + n++));
                long logins = count(sim, "logged-in", jid);
                // the server says <failure> at connect, in place of <success>
                sim.failNextLogin(jid, row.reason());
                sim.drop(jid);
                Map<String, Object> view = svc.awaitStatus(id, row.status());
                assertThat(view.get("reason")).as("row %d", row.reason()).isEqualTo(row.wireReason());
                EventType type = row.status().equals("removed") ? EventType.REMOVED : EventType.CLOSED;
                EventRecorder.Event ended = events.await(type, e -> id.equals(e.sessionId()), RunningService.WAIT);
                assertThat(ended.data())
                        .as("row %d", row.reason())
                        .containsEntry("reason", row.wireReason())
                        .containsEntry("code", row.reason());
                if (row.reason() == 405) {
                    assertThat((String) ended.data().get("detail"))
                            .contains(ClientConfig.DEFAULT_VERSION.getFirst() + ".")
                            .contains("WA_VERSION");
                }
                assertThat(Files.isDirectory(root.resolve("sessions/" + id)))
                        .as("row %d", row.reason())
                        .isEqualTo(row.credentialsKept());
                RunningService.watchFor(Duration.ofMillis(300), () -> count(sim, "logged-in", jid) == logins);
                assertThat(count(sim, "logged-in", jid))
                        .as("row %d: no reconnect", row.reason())
                        .isEqualTo(logins);
                assertThat(count(sim, "login-rejected", jid))
                        .as("row %d", row.reason())
                        .isEqualTo(1);
            }

            for (int reason : new int[] {500, 503}) {
                String id = "fail-" + reason;
                String jid = svc.pairByQr(id, "55119200000" + (10 + n++));
                long logins = count(sim, "logged-in", jid);
                sim.failNextLogin(jid, reason);
                sim.drop(jid);
                EventRecorder.Event retry = events.await(
                        EventType.STATUS,
                        e -> id.equals(e.sessionId())
                                && "reconnecting".equals(e.data().get("status"))
                                && Integer.valueOf(reason).equals(e.data().get("code")),
                        RunningService.WAIT);
                assertThat(retry.data()).containsEntry("code", reason);
                RunningService.awaitWhile(() -> count(sim, "logged-in", jid) <= logins);
                assertThat(count(sim, "logged-in", jid))
                        .as("row %d reconnects", reason)
                        .isEqualTo(logins + 1);
                svc.awaitStatus(id, "ready");
            }
        }
    }

    /**
     * The 405 path as the server takes it: a simulator whose minimum version is above the engine's refuses
     * the ClientPayload with {@code <failure reason="405"/>}; the session ends closed, client_outdated, with
     * the version sent and how to change it in the detail, and is not retried.
     */
    @Test
    void anOutdatedVersionIsRefusedWith405AndNotRetried() {
        Map<String, Object> props = RunningService.defaults(root);
        props.put("linkwell.simulator.min-version", "2.3000.1999999999");
        try (RunningService svc = RunningService.start(props);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "old")) {
            svc.api.put("/sessions/old");
            svc.assertRefusedAsOutdatedOnce("old", events);
            assertThat(events.of(EventType.QR)).isEmpty();
        }
    }

    /** failure 402 with code and expire: closed, credentials kept, the ban's facts in the event, no retry. */
    @Test
    void temporaryBanClosesKeepsCredentialsAndSaysUntilWhen() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "fay")) {
            String jid = svc.pairByQr("fay", "5511900000008");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);
            sim.temporaryBan(jid, 101, Duration.ofHours(1));
            Map<String, Object> view = svc.awaitStatus("fay", "closed");
            assertThat(view.get("reason")).isEqualTo("temporarily_banned");
            EventRecorder.Event closed = events.await(EventType.CLOSED, RunningService.WAIT);
            assertThat(closed.data()).containsEntry("code", 402).containsEntry("banCode", 101);
            assertThat(((Number) closed.data().get("expire")).longValue()).isBetween(3500L, 3600L);
            RunningService.watchFor(Duration.ofMillis(500), () -> count(sim, "logged-in", jid) == logins);
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins);
            assertThat(root.resolve("sessions/fay")).isDirectory();

            // starting it again while the ban lasts: the server refuses the login with what remains
            svc.api.put("/sessions/fay");
            svc.awaitSession(
                    "fay",
                    s -> "closed".equals(s.get("status")) && "temporarily_banned".equals(s.get("reason")),
                    "refused again");
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins);
            assertThat(root.resolve("sessions/fay")).isDirectory();
        }
    }

    @Test
    void unavailableAndDroppedConnectionsReconnectWithBackoff() {
        try (RunningService svc = RunningService.start(root);
                EventRecorder events = new EventRecorder(svc.bean(EventBus.class), "grace")) {
            String jid = svc.pairByQr("grace", "5511900000006");
            WaSimulator sim = svc.simulator();
            long logins = count(sim, "logged-in", jid);

            sim.refuseConnections(Duration.ofMillis(1500));
            sim.streamError(jid, 503);
            svc.awaitSession("grace", s -> "starting".equals(s.get("status")), "reconnecting");
            svc.awaitStatus("grace", "ready");
            List<EventRecorder.Event> retries = events.of(EventType.STATUS).stream()
                    .filter(e -> "reconnecting".equals(e.data().get("status")))
                    .toList();
            assertThat(retries).as("several refused attempts, then success").hasSizeGreaterThanOrEqualTo(2);
            assertThat(retries.getFirst().data().get("reason")).isEqualTo("unavailable");
            assertThat(count(sim, "logged-in", jid)).isEqualTo(logins + 1);

            sim.drop(jid);
            RunningService.awaitWhile(() -> count(sim, "logged-in", jid) < logins + 2);
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
        try (WaSimulator sim = WaSimulator.start(
                SimulatorConfig.defaults().withQrRefTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(1)))) {
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
                EventRecorder.Event lost = events.await(
                        EventType.STATUS, e -> "timed_out".equals(e.data().get("reason")), RunningService.WAIT);
                long detectedMs = (System.nanoTime() - frozenAt) / 1_000_000;
                // dead-link timeout 2 s plus one keepalive tick (500 ms) plus scheduling slack
                assertThat(detectedMs).isLessThan(4_000);
                assertThat(lost.data().get("status")).isEqualTo("reconnecting");
                RunningService.awaitWhile(() -> count(sim, "logged-in", jid) <= logins);
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
                jids.add(pool.submit(() -> svc.pairByQr(id, number)));
            }
            List<String> linked = new ArrayList<>();
            for (Future<String> f : jids) {
                linked.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(linked).doesNotHaveDuplicates().hasSize(20);
            for (int i = 0; i < 20; i++) {
                assertThat(svc.session("bulk-" + i).get("status")).isEqualTo("ready");
                assertThat(svc.simulator().isConnected(linked.get(i))).isTrue();
                assertThat(Files.isDirectory(root.resolve("sessions/bulk-" + i)))
                        .isTrue();
            }
        }
    }
}
