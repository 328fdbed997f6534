package dev.linkwell.simulator;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.stanza.Failure;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server knows about accounts: phones, the devices linked to them, the prekeys each device uploaded,
 * the messages waiting for a device, and temporary bans. Shared by every connection and the API, so every
 * method holds this object's monitor, briefly, and none calls out while holding it.
 *
 * <p>Persistence ({@link StateStore}): a change to who exists (a phone, a device linked or forgotten) is
 * written at once; the frequent ones (a message queued or acked, prekeys uploaded, a phone's Signal state changed) mark the state dirty and
 * are written together at most once per {@link #COALESCE}, on a virtual thread, so acks do not rewrite the
 * whole JSON each. {@link #close()} writes what is left. A crash may therefore lose the last
 * {@link #COALESCE} of queue changes: a message may be delivered again, which clients must cope with anyway.
 * Bans are not persisted.
 */
final class Accounts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How long frequent changes wait to be written together. */
    static final Duration COALESCE = Duration.ofMillis(200);

    record DeviceSlot(int deviceId, int keyIndex, String jid, String lid) {}

    private record Ban(int code, Instant until) {}

    private final WaSimulator sim;
    private final StateStore store;
    private final byte[] rootPrivateKey;
    private final Map<String, Phone> phones = new LinkedHashMap<>();
    private final Map<String, Integer> nextDeviceIds = new LinkedHashMap<>();
    private final Map<String, LinkedDevice> devices = new LinkedHashMap<>();
    private final Map<String, List<UploadedPreKey>> preKeys = new LinkedHashMap<>();
    /** Per device, how many of its uploaded prekeys (from the oldest) were handed out to senders. */
    private final Map<String, Integer> handedOut = new LinkedHashMap<>();

    private final Map<String, List<SimulatorState.PendingMessage>> pending = new LinkedHashMap<>();
    private final Map<String, List<SimulatorState.RelayedStanza>> relayed = new LinkedHashMap<>();
    private final Map<String, Ban> bans = new LinkedHashMap<>();
    private final Object writeLock = new Object();
    private final AtomicBoolean writeQueued = new AtomicBoolean();
    private volatile boolean closed;
    private final ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();
    private long phoneIds;

    Accounts(WaSimulator sim, StateStore store, byte[] rootPrivateKey, SimulatorState initial) {
        this.sim = sim;
        this.store = store;
        this.rootPrivateKey = rootPrivateKey.clone();
        if (initial != null) {
            load(initial);
        }
    }

    // ---------------------------------------------------------------- phones

    Phone addPhone(String number, PhoneProfile profile) {
        if (profile == null) {
            throw SimulatorException.badRequest("phone profile is required");
        }
        if (number == null || !number.matches("\\d{7,15}")) {
            throw SimulatorException.badRequest(
                    "phone number must be 7 to 15 digits, got " + WaSimulator.quote(number));
        }
        Phone phone;
        synchronized (this) {
            for (Phone p : phones.values()) {
                if (p.number().equals(number)) {
                    throw SimulatorException.conflict(
                            "a phone with number " + number + " already exists (" + p.id() + ")");
                }
            }
            String id = "phone-" + (++phoneIds);
            KeyPair accountKey = KeyPair.generate();
            phone = new Phone(
                    sim,
                    id,
                    number,
                    accountKey,
                    randomDigits(15),
                    profile,
                    PhoneSignal.create(accountKey, this::writeSoon));
            phones.put(id, phone);
            nextDeviceIds.put(id, 1);
        }
        writeNow();
        return phone;
    }

    synchronized List<Phone> phones() {
        return List.copyOf(phones.values());
    }

    synchronized Phone phone(String id) {
        Phone p = phones.get(id);
        if (p == null) {
            throw SimulatorException.notFound("no phone " + WaSimulator.quote(id));
        }
        return p;
    }

    synchronized Optional<Phone> phoneByNumber(String number) {
        return phones.values().stream().filter(p -> p.number().equals(number)).findFirst();
    }

    synchronized Optional<Phone> phoneByLidUser(String lidUser) {
        return phones.values().stream().filter(p -> p.lidUser().equals(lidUser)).findFirst();
    }

    // ---------------------------------------------------------------- devices

    synchronized List<LinkedDevice> devices() {
        return List.copyOf(devices.values());
    }

    /** The linked device, or null. */
    synchronized LinkedDevice device(String jid) {
        return jid == null ? null : devices.get(jid);
    }

    /** The next device number of the phone's account, used by one pair-success. */
    DeviceSlot allocateDevice(Phone phone) {
        int deviceId;
        synchronized (this) {
            deviceId = nextDeviceIds.merge(phone.id(), 1, Integer::sum) - 1;
        }
        writeNow();
        return new DeviceSlot(
                deviceId, deviceId, deviceJid(phone.number(), deviceId), phone.lidUser() + ":" + deviceId + "@lid");
    }

    static String deviceJid(String user, int device) {
        return device == 0 ? user + "@s.whatsapp.net" : user + ":" + device + "@s.whatsapp.net";
    }

    void link(LinkedDevice device) {
        synchronized (this) {
            devices.put(device.jid(), device);
        }
        writeNow();
    }

    /** Forgets the device with its prekeys and waiting messages; false when it was not linked. */
    boolean forget(String jid) {
        boolean known;
        synchronized (this) {
            known = devices.remove(jid) != null;
            preKeys.remove(jid);
            handedOut.remove(jid);
            pending.remove(jid);
            relayed.remove(jid);
        }
        writeNow();
        return known;
    }

    // ---------------------------------------------------------------- prekeys

    synchronized List<UploadedPreKey> preKeys(String jid) {
        return List.copyOf(preKeys.getOrDefault(jid, List.of()));
    }

    /**
     * How many one-time prekeys the server still holds for the device (uploaded and not handed out);
     * {@code initial} for one that never uploaded.
     */
    synchronized int preKeyCount(String jid, int initial) {
        List<UploadedPreKey> keys = jid == null ? null : preKeys.get(jid);
        return keys == null ? initial : keys.size() - handedOut.getOrDefault(jid, 0);
    }

    /**
     * Hands out the device's oldest one-time prekey nobody got yet, as the server does for a prekey fetch: each
     * once. Empty when none is left (the sender then starts without one).
     */
    Optional<UploadedPreKey> takePreKey(String jid) {
        UploadedPreKey key;
        synchronized (this) {
            List<UploadedPreKey> keys = preKeys.getOrDefault(jid, List.of());
            int next = handedOut.getOrDefault(jid, 0);
            if (next >= keys.size()) {
                return Optional.empty();
            }
            key = keys.get(next);
            handedOut.put(jid, next + 1);
        }
        writeSoon();
        return Optional.of(key);
    }

    /** @return true when these were the device's first uploaded prekeys */
    boolean storePreKeys(String jid, List<UploadedPreKey> keys) {
        boolean first;
        synchronized (this) {
            first = !preKeys.containsKey(jid);
            List<UploadedPreKey> stored = preKeys.computeIfAbsent(jid, k -> new ArrayList<>());
            stored.addAll(keys);
            int over = stored.size() - WaSimulator.MAX_PREKEYS_PER_DEVICE;
            if (over > 0) {
                stored.subList(0, over).clear();
                handedOut.computeIfPresent(jid, (k, n) -> Math.max(0, n - over));
            }
        }
        writeSoon();
        return first;
    }

    void updateSignedPreKey(String jid, int id, byte[] publicKey, byte[] signature) {
        synchronized (this) {
            LinkedDevice d = devices.get(jid);
            if (d == null) {
                return;
            }
            devices.put(
                    jid,
                    new LinkedDevice(
                            d.jid(),
                            d.lid(),
                            d.phoneId(),
                            d.deviceId(),
                            d.noisePublicKey(),
                            d.identityPublicKey(),
                            d.registrationId(),
                            id,
                            publicKey,
                            signature,
                            d.keyIndex(),
                            d.platform(),
                            d.method(),
                            d.linkedAt()));
        }
        writeSoon();
    }

    // ---------------------------------------------------------------- waiting messages

    /** Queues a message for the device; one with the same id (a resend) takes the place of the earlier one. */
    void queue(String jid, SimulatorState.PendingMessage message) {
        synchronized (this) {
            List<SimulatorState.PendingMessage> list = pending.computeIfAbsent(jid, k -> new ArrayList<>());
            list.removeIf(m -> m.id().equals(message.id()));
            list.add(message);
        }
        writeSoon();
    }

    synchronized List<SimulatorState.PendingMessage> pending(String jid) {
        return List.copyOf(pending.getOrDefault(jid, List.of()));
    }

    /** Keeps a message relayed from another device until the device confirms it. */
    void queueRelayed(String jid, SimulatorState.RelayedStanza message) {
        synchronized (this) {
            relayed.computeIfAbsent(jid, k -> new ArrayList<>()).add(message);
        }
        writeSoon();
    }

    synchronized List<SimulatorState.RelayedStanza> relayed(String jid) {
        return List.copyOf(relayed.getOrDefault(jid, List.of()));
    }

    /** The device has the message: it is not sent again. */
    void settle(String jid, String messageId) {
        boolean changed;
        synchronized (this) {
            List<SimulatorState.PendingMessage> list = pending.get(jid);
            changed = list != null && list.removeIf(m -> m.id().equals(messageId));
            List<SimulatorState.RelayedStanza> others = relayed.get(jid);
            changed |= others != null && others.removeIf(m -> m.id().equals(messageId));
        }
        if (changed) {
            writeSoon();
        }
    }

    // ---------------------------------------------------------------- bans

    synchronized void ban(String jid, int code, Instant until) {
        bans.put(jid, new Ban(code, until));
    }

    /** {@code <failure reason="402" code expire/>} with the seconds left, while the device is banned. */
    synchronized Optional<Failure> banFailure(String jid, Instant now) {
        Ban ban = bans.get(jid);
        if (ban == null) {
            return Optional.empty();
        }
        if (!now.isBefore(ban.until())) {
            bans.remove(jid);
            return Optional.empty();
        }
        return Optional.of(Failure.temporaryBan(
                ban.code(), Math.max(1, Duration.between(now, ban.until()).toSeconds())));
    }

    // ---------------------------------------------------------------- state

    synchronized SimulatorState export() {
        List<SimulatorState.PhoneState> ps = new ArrayList<>();
        for (Phone p : phones.values()) {
            ps.add(new SimulatorState.PhoneState(
                    p.id(),
                    p.number(),
                    p.accountKey().privateKey(),
                    p.lidUser(),
                    nextDeviceIds.getOrDefault(p.id(), 1),
                    p.profile().lidAddressed(),
                    p.profile().hostedBusiness(),
                    p.signal().export()));
        }
        Map<String, List<UploadedPreKey>> pk = new LinkedHashMap<>();
        preKeys.forEach((k, v) -> pk.put(k, List.copyOf(v)));
        Map<String, List<SimulatorState.PendingMessage>> pm = new LinkedHashMap<>();
        pending.forEach((k, v) -> pm.put(k, List.copyOf(v)));
        Map<String, List<SimulatorState.RelayedStanza>> rm = new LinkedHashMap<>();
        relayed.forEach((k, v) -> rm.put(k, List.copyOf(v)));
        return new SimulatorState(
                SimulatorState.CURRENT_VERSION,
                rootPrivateKey,
                ps,
                List.copyOf(devices.values()),
                pk,
                pm,
                handedOut,
                rm);
    }

    private synchronized void load(SimulatorState state) {
        for (SimulatorState.PhoneState p : state.phones()) {
            KeyPair accountKey = KeyPair.fromPrivateKey(p.accountPrivateKey());
            phones.put(
                    p.id(),
                    new Phone(
                            sim,
                            p.id(),
                            p.number(),
                            accountKey,
                            p.lidUser(),
                            new PhoneProfile(p.lidAddressed(), p.hostedBusiness()),
                            PhoneSignal.restore(accountKey, p.signal(), this::writeSoon)));
            nextDeviceIds.put(p.id(), Math.max(1, p.nextDeviceId()));
            String digits = p.id().replaceAll("\\D", "");
            if (!digits.isEmpty()) {
                phoneIds = Math.max(phoneIds, Long.parseLong(digits));
            }
        }
        for (LinkedDevice d : state.devices()) {
            devices.put(d.jid(), d);
        }
        state.preKeys().forEach((k, v) -> preKeys.put(k, new ArrayList<>(v)));
        state.pendingMessages().forEach((k, v) -> pending.put(k, new ArrayList<>(v)));
        handedOut.putAll(state.handedOutPreKeys());
        state.relayedMessages().forEach((k, v) -> relayed.put(k, new ArrayList<>(v)));
    }

    /** Writes the state now (and drops a coalesced write that is queued: this one includes it). */
    void writeNow() {
        if (store == null) {
            return;
        }
        // snapshot and write as one step, so two writers cannot leave the older snapshot on disk
        synchronized (writeLock) {
            if (!closed) {
                writeQueued.set(false);
                store.save(export());
            }
        }
    }

    private void writeSoon() {
        if (store != null && !closed && writeQueued.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(COALESCE.toMillis(), TimeUnit.MILLISECONDS, writer)
                    .execute(() -> {
                        if (writeQueued.get()) {
                            try {
                                writeNow();
                            } catch (RuntimeException e) {
                                log.warn("simulator state not saved: {}", e.toString());
                            }
                        }
                    });
        }
    }

    /**
     * Writes what is not written yet and stops writing: later changes stay in memory (the simulator is shutting down).
     * Under the write lock, so a coalesced write still in flight is finished first and none starts after: a
     * simulator started on the same folder right after this returns reads every change, up to the last message
     * queued.
     */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (store != null && !closed && writeQueued.getAndSet(false)) {
                store.save(export());
            }
            closed = true;
        }
    }

    private static String randomDigits(int n) {
        StringBuilder sb = new StringBuilder();
        sb.append(1 + RANDOM.nextInt(9));
        while (sb.length() < n) {
            sb.append(RANDOM.nextInt(10));
        }
        return sb.toString();
    }
}
