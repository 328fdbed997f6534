package dev.linkwell.client.engine;

import dev.linkwell.client.store.MemoryCredentialStore;
import dev.linkwell.simulator.Phone;
import dev.linkwell.simulator.WaSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Engine clients linked to the simulator's phones and logged in, on one runtime and one in-memory credential store:
 * a test fixture. Close it to end every client.
 */
final class LinkedClients implements AutoCloseable {

    /** One logged-in client: its connection, device JID and what it reported. */
    record Linked(WaClient client, String jid, WaClientSimulatorTest.Recorder events) {}

    private final ClientRuntime runtime = new ClientRuntime();
    private final MemoryCredentialStore store = new MemoryCredentialStore();
    private final ClientConfig config;

    LinkedClients(WaSimulator sim, Duration iqTimeout) {
        this.config = ClientConfig.builder()
                .url(URI.create(sim.webSocketUrl()))
                .trustAnchor(sim.trustAnchor().rootPublicKey())
                .iqTimeout(iqTimeout)
                .build();
    }

    /** Links a new companion of {@code phone} as session {@code id} by QR, then logs it in. */
    Linked link(String id, Phone phone) throws Exception {
        WaClientSimulatorTest.Recorder pairing = new WaClientSimulatorTest.Recorder();
        new WaClient(runtime, config, id, store, Optional.empty(), pairing).connect();
        String qr = pairing.next("qr").value();
        CompletableFuture.supplyAsync(() -> phone.scan(qr));
        String jid = pairing.next("paired").value();
        pairing.next("disconnect");
        WaClientSimulatorTest.Recorder events = new WaClientSimulatorTest.Recorder();
        WaClient client = new WaClient(runtime, config, id, store, Optional.empty(), events);
        client.connect();
        events.next("open");
        return new Linked(client, jid, events);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
