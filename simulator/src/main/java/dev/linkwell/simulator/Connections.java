package dev.linkwell.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Who is connected: each logged-in device's connection (a newer login replaces the older one, as the real
 * server does), the connection showing each QR ref, the connection waiting for each phone number's code,
 * and whether upgrades are refused for now. Lock-free maps: connections and API threads read them at will.
 */
final class Connections {

    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong replacedByLogin = new AtomicLong();
    private final Map<String, ServerConnection> byDevice = new ConcurrentHashMap<>();
    private final Map<String, ServerConnection> refOwners = new ConcurrentHashMap<>();
    private final Map<String, ServerConnection> codeWaiters = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final ConnectionAttempts attempts;
    private volatile Instant refuseUntil = Instant.MIN;

    Connections(InstantSource clock) {
        this.clock = clock;
        this.attempts = new ConnectionAttempts(clock);
    }

    /** Upgrade requests per second, accepted or refused. */
    ConnectionAttempts attempts() {
        return attempts;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** The device's logged-in connection, if any. */
    Optional<ServerConnection> of(String deviceJid) {
        return Optional.ofNullable(deviceJid == null ? null : byDevice.get(deviceJid));
    }

    boolean isConnected(String deviceJid) {
        return byDevice.containsKey(deviceJid);
    }

    /** Registers a logged-in connection; returns the older one it replaces, if any (and counts it). */
    Optional<ServerConnection> attach(String deviceJid, ServerConnection c) {
        ServerConnection old = byDevice.put(deviceJid, c);
        if (old == null || old == c) {
            return Optional.empty();
        }
        replacedByLogin.incrementAndGet();
        return Optional.of(old);
    }

    /** How many logins met the device still logged in on another connection. */
    long replacedByLogin() {
        return replacedByLogin.get();
    }

    /** {@code count} fresh QR refs, owned by {@code c}. Real refs look like "2@" + base64; any unique text works. */
    List<String> newRefs(ServerConnection c, int count, IntFunction<byte[]> random) {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ref = "2@" + Base64.getEncoder().withoutPadding().encodeToString(random.apply(36));
            refs.add(ref);
            refOwners.put(ref, c);
        }
        return refs;
    }

    Optional<ServerConnection> showing(String ref) {
        return Optional.ofNullable(refOwners.get(ref));
    }

    /** {@code c} waits for the phone with this number to type its code. */
    void waitForCode(String number, ServerConnection c) {
        codeWaiters.put(number, c);
    }

    /** The code is being typed (or the wait is over): nobody else may type it. */
    void codeTaken(String number, ServerConnection c) {
        codeWaiters.remove(number, c);
    }

    Optional<ServerConnection> waitingForCode(String number) {
        return Optional.ofNullable(codeWaiters.get(number));
    }

    /** Forgets what {@code c} was showing or waiting for (it linked a device, or it closed). */
    void pairingOver(ServerConnection c) {
        refOwners.values().removeIf(owner -> owner == c);
        codeWaiters.values().removeIf(owner -> owner == c);
    }

    /** {@code c} closed. */
    void closed(ServerConnection c) {
        String jid = c.deviceJid();
        if (jid != null) {
            byDevice.remove(jid, c);
        }
        pairingOver(c);
    }

    void refuseFor(Duration duration) {
        refuseUntil = clock.instant().plus(duration);
    }

    boolean refusing() {
        return clock.instant().isBefore(refuseUntil);
    }
}
