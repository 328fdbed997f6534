package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Enc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void savesAtomicallyAndLoadsBack() throws Exception {
        StateStore store = new StateStore(dir);
        assertThat(store.load()).isEmpty();
        LinkedDevice d = new LinkedDevice(
                "1234567:2@s.whatsapp.net",
                "99:2@lid",
                "phone-1",
                2,
                new byte[] {1, 2},
                new byte[] {3},
                42,
                1,
                new byte[] {4},
                new byte[] {5},
                2,
                "android",
                "qr",
                Instant.parse("2026-01-02T03:04:05Z"));
        SimulatorState state = new SimulatorState(
                1,
                new byte[32],
                List.of(new SimulatorState.PhoneState("phone-1", "1234567", new byte[32], "99", 3, true, false, null)),
                List.of(d),
                Map.of(d.jid(), List.of(new UploadedPreKey(7, new byte[] {9}))),
                Map.of(
                        d.jid(),
                        List.of(new SimulatorState.PendingMessage(
                                "M1",
                                "99@lid",
                                "hi",
                                5,
                                "1234567@s.whatsapp.net",
                                Map.of("id", "M1", "from", "99@lid"),
                                List.of(new Enc("pkmsg", 2, 1, null, new byte[] {7, 8}))))),
                Map.of(d.jid(), 3),
                Map.of(d.jid(), List.of(new SimulatorState.RelayedStanza("M2", new byte[] {0, 1, 2}))));
        store.save(state);
        store.save(state);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateStore.FILE_NAME);
        }
        SimulatorState back = store.load().orElseThrow();
        assertThat(back.phones()).hasSize(1);
        assertThat(back.phones().get(0).accountPrivateKey()).isEqualTo(new byte[32]);
        assertThat(back.relayedMessages().get(d.jid()).getFirst().node()).containsExactly(0, 1, 2);
        LinkedDevice d2 = back.devices().get(0);
        assertThat(d2).isEqualTo(d);
        assertThat(back.preKeys().get(d.jid())).containsExactly(new UploadedPreKey(7, new byte[] {9}));
        assertThat(d2.noisePublicKey()).isEqualTo(new byte[] {1, 2});
        assertThat(d2.linkedAt()).isEqualTo(d.linkedAt());
        assertThat(back.preKeys().get(d.jid()).get(0).publicKey()).isEqualTo(new byte[] {9});
        assertThat(back.pendingMessages().get(d.jid()).get(0).text()).isEqualTo("hi");
        assertThat(back.pendingMessages().get(d.jid()).get(0).senderPn()).isEqualTo("1234567@s.whatsapp.net");
        assertThat(back.pendingMessages().get(d.jid()).get(0).payloads())
                .containsExactly(new Enc("pkmsg", 2, 1, null, new byte[] {7, 8}));
        assertThat(back.pendingMessages().get(d.jid()).get(0).attrs()).containsEntry("from", "99@lid");
        assertThat(back.handedOutPreKeys()).containsEntry(d.jid(), 3);
        assertThat(back.phones().get(0).lidAddressed()).isTrue();
    }

    /** A state file written before phone profiles existed loads as standard phones. */
    @Test
    void anOlderStateWithoutProfilesLoads() throws Exception {
        Files.writeString(dir.resolve(StateStore.FILE_NAME), """
                {"version":1,"rootPrivateKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                 "phones":[{"id":"phone-1","number":"1234567","accountPrivateKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                            "lidUser":"99","nextDeviceId":2}],
                 "devices":[],"preKeys":{},
                 "pendingMessages":{"x":[{"id":"M1","fromJid":"1@s.whatsapp.net","text":"hi","timestamp":5}]}}
                """);
        SimulatorState back = new StateStore(dir).load().orElseThrow();
        assertThat(back.phones().get(0).lidAddressed()).isFalse();
        assertThat(back.phones().get(0).hostedBusiness()).isFalse();
        assertThat(back.pendingMessages().get("x").get(0).senderPn()).isNull();
        assertThat(back.pendingMessages().get("x").get(0).payloads()).isEmpty();
        assertThat(back.phones().get(0).signal()).isNull();
    }

    @Test
    void theStateHoldsPrivateKeysSoOnlyTheOwnerMayReadIt() throws Exception {
        Path stateDir = dir.resolve("fresh");
        StateStore store = new StateStore(stateDir);
        store.save(new SimulatorState(1, new byte[32], List.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of()));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)))
                .isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
                .isEqualTo("rw-------");
    }

    /**
     * Who exists is written at once; the frequent changes (a message queued, then confirmed) reach the file
     * together a moment later, without waiting for close.
     */
    @Test
    void phonesAreWrittenAtOnceAndQueuedMessagesSoonAfter() throws Exception {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults(), dir)) {
            Phone phone = sim.addPhone("51987654321");
            assertThat(new StateStore(dir).load().orElseThrow().phones())
                    .extracting(SimulatorState.PhoneState::number)
                    .containsExactly("51987654321");
            RawClient pairing = RawClient.register(sim);
            List<String> refs = pairing.takeRefs(WAIT);
            CompletableFuture<LinkedDevice> scan =
                    CompletableFuture.supplyAsync(() -> phone.scan(pairing.qr(refs.get(0))));
            pairing.answerPairSuccess(WAIT, pairing.advSecret);
            LinkedDevice device = scan.get(10, TimeUnit.SECONDS);
            pairing.close();
            assertThat(new StateStore(dir).load().orElseThrow().devices())
                    .extracting(LinkedDevice::jid)
                    .containsExactly(device.jid());
            String id = sim.sendMessage(device.jid(), phone, "soon on disk");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(new StateStore(dir)
                                    .load()
                                    .orElseThrow()
                                    .pendingMessages()
                                    .get(device.jid()))
                            .extracting(SimulatorState.PendingMessage::id)
                            .containsExactly(id));
        }
    }

    @Test
    void aRestartedSimulatorKeepsItsTrustAnchorPhonesAndDevices() throws Exception {
        String anchor;
        RawClient pairing;
        LinkedDevice device;
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults(), dir)) {
            anchor = sim.trustAnchor().hex();
            Phone phone = sim.addPhone("51987654321");
            pairing = RawClient.register(sim);
            List<String> refs = pairing.takeRefs(WAIT);
            CompletableFuture<LinkedDevice> scan =
                    CompletableFuture.supplyAsync(() -> phone.scan(pairing.qr(refs.get(0))));
            pairing.answerPairSuccess(WAIT, pairing.advSecret);
            device = scan.get(10, TimeUnit.SECONDS);
            sim.sendMessage(device.jid(), phone, "waiting across a restart");
        }
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults(), dir)) {
            assertThat(sim.trustAnchor().hex()).isEqualTo(anchor);
            assertThat(sim.phones()).extracting(Phone::number).containsExactly("51987654321");
            assertThat(sim.devices()).extracting(LinkedDevice::jid).containsExactly(device.jid());
            // the device logs in again with its noise key and gets the waiting message
            try (RawClient c = RawClient.login(sim, pairing.noiseKey, "51987654321", device.deviceId())) {
                assertThat(c.next("success", WAIT).attr("lid")).isEqualTo(device.lid());
                Node m = c.next("message", WAIT);
                assertThat(m.attr("from")).isEqualTo("51987654321@s.whatsapp.net");
            }
            // new phones continue the id sequence; new devices continue the device numbers
            assertThat(sim.addPhone("51911122233").id()).isEqualTo("phone-2");
            // export -> start from the value: same anchor, phones and devices, no files involved
            SimulatorState exported = sim.exportState();
            try (WaSimulator copy = WaSimulator.startFrom(SimulatorConfig.defaults(), exported)) {
                assertThat(copy.trustAnchor().hex()).isEqualTo(anchor);
                assertThat(copy.devices()).containsExactlyElementsOf(sim.devices());
                assertThat(copy.phones()).extracting(Phone::number).containsExactly("51987654321", "51911122233");
            }
        }
    }

    /**
     * A message queued just before close is on disk when close returns, even when the coalesced write fires at that
     * moment: close once returned while that write was still in flight, and a simulator started on the same folder
     * read the older file (seen on a loaded CI machine). Each round closes at another point of the write's window.
     */
    @Test
    void closeLeavesTheLastQueuedMessageOnDisk() throws Exception {
        LinkedDevice device;
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults(), dir)) {
            Phone phone = sim.addPhone("51987654321");
            for (int i = 0; i < 60; i++) {
                sim.addPhone("5190000" + String.format("%04d", i)); // a larger file takes longer to write
            }
            RawClient pairing = RawClient.register(sim);
            List<String> refs = pairing.takeRefs(WAIT);
            CompletableFuture<LinkedDevice> scan =
                    CompletableFuture.supplyAsync(() -> phone.scan(pairing.qr(refs.get(0))));
            pairing.answerPairSuccess(WAIT, pairing.advSecret);
            device = scan.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            pairing.close();
        }
        for (int round = 0; round < 10; round++) {
            String id;
            try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults(), dir)) {
                Phone sender = sim.phones().stream()
                        .filter(p -> p.number().equals("51987654321"))
                        .findFirst()
                        .orElseThrow();
                id = sim.sendMessage(device.jid(), sender, "round " + round);
                Thread.sleep(Accounts.COALESCE.toMillis() - 5 + round); // around the moment the write starts
            }
            List<String> onDisk = new StateStore(dir)
                    .load().orElseThrow().pendingMessages().getOrDefault(device.jid(), List.of()).stream()
                            .map(SimulatorState.PendingMessage::id)
                            .toList();
            assertThat(onDisk).as("round %d", round).contains(id);
        }
    }
}
