package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.noise.CertificateMinter;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.proto.Message;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WhatsApp Web server on loopback with scriptable phones: the test double for everything that speaks the
 * WhatsApp Web protocol, in the spirit of OkHttp's MockWebServer.
 *
 * <pre>{@code
 * try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
 *     Phone phone = sim.addPhone("51987654321");
 *     // aim a client at sim.webSocketUrl() trusting sim.trustAnchor(), take its QR text, then:
 *     LinkedDevice device = phone.scan(qrText);
 *     sim.awaitConnected(device.jid(), Duration.ofSeconds(10));
 *     sim.sendMessage(device.jid(), phone, "hello");
 * }
 * }</pre>
 *
 * Thread-safe. One small scheduler thread runs all timers; the WebSocket library's threads handle I/O; no
 * thread sleeps per connection.
 */
public final class WaSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WaSimulator.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How many received nodes and how many events are kept (the oldest are dropped beyond that). */
    public static final int MAX_RECORDED = 10_000;
    /**
     * How many bytes of received nodes (by frame length) are kept: with frames of up to 16 MiB, a count alone
     * would let 10 000 recorded nodes hold far more memory than a test double should.
     */
    public static final long MAX_RECORDED_BYTES = 64L * 1024 * 1024;
    /**
     * How many uploaded prekeys are kept per device (the oldest are dropped beyond that), so a client that
     * keeps uploading cannot grow the state without end. A simulator bound, not a wire fact: clients keep far
     * fewer on the server (Baileys 6.17.16 uploads 30 at a time, Defaults INITIAL_PREKEY_COUNT).
     */
    public static final int MAX_PREKEYS_PER_DEVICE = 1_000;
    /** How long {@link Phone#enterCode} waits for the companion's companion_hello to reach the server. */
    static final Duration CODE_REQUEST_WAIT = Duration.ofSeconds(3);

    private final SimulatorConfig config;
    private final StateStore store;
    private final ScheduledExecutorService scheduler;
    private final KeyPair rootKey;
    private final CertificateMinter minter;
    private final KeyPair serverStatic;
    private final byte[] certChain;
    private final WsServer server;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong phoneIds = new AtomicLong();

    private final Object lock = new Object();
    private final Object persistLock = new Object();
    // guarded by lock
    private final Map<String, Phone> phones = new LinkedHashMap<>();
    private final Map<String, Integer> nextDeviceIds = new LinkedHashMap<>();
    private final Map<String, LinkedDevice> devices = new LinkedHashMap<>();
    private final Map<String, List<UploadedPreKey>> preKeys = new LinkedHashMap<>();
    private final Map<String, List<SimulatorState.PendingMessage>> pending = new LinkedHashMap<>();

    private final Map<String, ServerConnection> active = new ConcurrentHashMap<>();
    private final AckTracker acks = new AckTracker();
    /** A scripted error answer for the next companion_hello, or null (see {@link #refuseNextPairingCodeRequest}). */
    private final java.util.concurrent.atomic.AtomicReference<int[]> nextCompanionHelloError =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** One-shot connect failures for a device's next login (see {@link #failNextLogin}). */
    private final Map<String, Integer> loginFailures = new ConcurrentHashMap<>();
    /** Temporary bans by device jid (not persisted: a restarted simulator forgets them). */
    private final Map<String, TemporaryBan> bans = new ConcurrentHashMap<>();
    private final Map<String, ServerConnection> refOwners = new ConcurrentHashMap<>();
    private final Map<String, ServerConnection> codeWaiters = new ConcurrentHashMap<>();

    private final Object recordLock = new Object();
    // bounded, so a long-running simulator (demo mode) does not grow without end; oldest dropped first
    private final java.util.ArrayDeque<RecordedNode> recorded = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<Integer> recordedSizes = new java.util.ArrayDeque<>();
    private long recordedBytes;
    private final Set<RecordedNode> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    private final java.util.ArrayDeque<SimulatorEvent> events = new java.util.ArrayDeque<>();

    private volatile Instant refuseUntil = Instant.MIN;
    private volatile boolean closed;

    private WaSimulator(SimulatorConfig config, StateStore store, SimulatorState initial) {
        this.config = config;
        this.store = store;
        ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wa-simulator-timer");
            t.setDaemon(true);
            return t;
        });
        exec.setRemoveOnCancelPolicy(true);
        this.scheduler = exec;
        SimulatorState state = initial != null ? initial : store == null ? null : store.load().orElse(null);
        this.rootKey = state != null && state.rootPrivateKey() != null
                ? KeyPair.fromPrivateKey(state.rootPrivateKey()) : KeyPair.generate();
        if (state != null) {
            importState(state);
        }
        this.minter = new CertificateMinter(rootKey);
        this.serverStatic = KeyPair.generate();
        this.certChain = minter.mint(serverStatic.publicKey());
        this.server = new WsServer(new InetSocketAddress(config.host(), config.port()), this);
        persist();
    }

    /** Starts a simulator with no saved state. */
    public static WaSimulator start(SimulatorConfig config) {
        return start(config, null);
    }

    /**
     * Starts a simulator whose state (root key, phones, linked devices, prekeys, waiting messages) is loaded
     * from and saved to {@code stateDir} (null: in memory only).
     */
    public static WaSimulator start(SimulatorConfig config, Path stateDir) {
        return listening(new WaSimulator(config, stateDir == null ? null : new StateStore(stateDir), null));
    }

    /**
     * Starts a simulator from a state exported earlier with {@link #exportState()} (kept in memory only; for
     * a host that stores the state itself).
     */
    public static WaSimulator startFrom(SimulatorConfig config, SimulatorState state) {
        return listening(new WaSimulator(config, null, java.util.Objects.requireNonNull(state, "state")));
    }

    private static WaSimulator listening(WaSimulator sim) {
        try {
            sim.server.startAndWait(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
        log.info("WhatsApp simulator listening on {}", sim.webSocketUrl());
        return sim;
    }

    // ---------------------------------------------------------------- public API

    public SimulatorConfig config() {
        return config;
    }

    public int port() {
        return server.boundPort();
    }

    /** {@code ws://127.0.0.1:PORT/ws/chat}. */
    public String webSocketUrl() {
        return "ws://" + hostForUrl() + ":" + port() + WsServer.PATH;
    }

    /** The root key a client must trust to accept this simulator's certificate chain. */
    public TrustAnchor trustAnchor() {
        return minter.trustAnchor();
    }

    public Phone addPhone(String number) {
        return addPhone(number, PhoneProfile.STANDARD);
    }

    /** A phone of the given kind (LID-addressed, hosted business). */
    public Phone addPhone(String number, PhoneProfile profile) {
        if (profile == null) {
            throw SimulatorException.badRequest("phone profile is required");
        }
        if (number == null || !number.matches("\\d{7,15}")) {
            throw SimulatorException.badRequest("phone number must be 7 to 15 digits, got " + quote(number));
        }
        Phone phone;
        synchronized (lock) {
            for (Phone p : phones.values()) {
                if (p.number().equals(number)) {
                    throw SimulatorException.conflict("a phone with number " + number + " already exists (" + p.id() + ")");
                }
            }
            String id = "phone-" + phoneIds.incrementAndGet();
            phone = new Phone(this, id, number, KeyPair.generate(), randomDigits(15), profile);
            phones.put(id, phone);
            nextDeviceIds.put(id, 1);
        }
        persist();
        return phone;
    }

    public List<Phone> phones() {
        synchronized (lock) {
            return List.copyOf(phones.values());
        }
    }

    public Phone phone(String id) {
        synchronized (lock) {
            Phone p = phones.get(id);
            if (p == null) {
                throw SimulatorException.notFound("no phone " + quote(id));
            }
            return p;
        }
    }

    public List<LinkedDevice> devices() {
        synchronized (lock) {
            return List.copyOf(devices.values());
        }
    }

    /** The linked device, or null. */
    public LinkedDevice device(String jid) {
        synchronized (lock) {
            return devices.get(jid);
        }
    }

    public boolean isConnected(String deviceJid) {
        return active.containsKey(deviceJid);
    }

    /** Waits until the device is logged in on a connection. */
    public void awaitConnected(String deviceJid, Duration timeout) {
        awaitEvent(e -> "logged-in".equals(e.type()) && deviceJid.equals(e.deviceJid()), timeout);
    }

    /** The prekeys the device uploaded (in upload order). */
    public List<UploadedPreKey> preKeys(String deviceJid) {
        synchronized (lock) {
            return List.copyOf(preKeys.getOrDefault(deviceJid, List.of()));
        }
    }

    /**
     * Sends a text from the phone to a linked device: {@code <message id from t type="text"><plaintext>
     * Message{conversation}</plaintext></message>} (Baileys Utils/decode-wa-message.js takes a {@code
     * plaintext} child as an unpadded Message protobuf). Delivered at once when the device is logged in,
     * otherwise at its next login; kept until the device acks it.
     *
     * @return the message id
     */
    public String sendMessage(String deviceJid, Phone from, String text) {
        if (from == null) {
            throw SimulatorException.badRequest("sender phone is required");
        }
        if (text == null || text.isEmpty()) {
            throw SimulatorException.badRequest("text must not be empty");
        }
        if (text.length() > 65536) {
            throw SimulatorException.badRequest("text is longer than 65536 characters");
        }
        requireDevice(deviceJid);
        String id = HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        SimulatorState.PendingMessage msg = new SimulatorState.PendingMessage(id, from.senderAddress(), text,
                Instant.now().getEpochSecond(), from.profile().lidAddressed() ? from.jid() : null);
        synchronized (lock) {
            pending.computeIfAbsent(deviceJid, k -> new ArrayList<>()).add(msg);
        }
        persist();
        ServerConnection conn = active.get(deviceJid);
        if (conn != null) {
            conn.deliver(messageNode(msg));
        }
        return id;
    }

    /** Messages sent to the device and not acked yet. */
    public List<SimulatorState.PendingMessage> pendingMessages(String deviceJid) {
        synchronized (lock) {
            return List.copyOf(pending.getOrDefault(deviceJid, List.of()));
        }
    }

    /**
     * Unlinks the device: a connected one gets {@code <stream:error code="401"><conflict type="device_removed"/>
     * </stream:error>} (Baileys maps it to 401 loggedOut) and the server forgets it.
     */
    public void removeDevice(String deviceJid) {
        requireDevice(deviceJid);
        forgetDevice(deviceJid, "removed by command");
        ServerConnection conn = active.get(deviceJid);
        if (conn != null) {
            conn.streamErrorAndClose(Nodes.parent("stream:error", Nodes.attrs("code", "401"),
                    Nodes.node("conflict", "type", "device_removed")));
        }
    }

    /** {@code <stream:error><conflict type="replaced"/></stream:error>}: Baileys 440 connectionReplaced. */
    public void replace(String deviceJid) {
        requireConnection(deviceJid).streamErrorAndClose(
                Nodes.parent("stream:error", Nodes.attrs(), Nodes.node("conflict", "type", "replaced")));
        event(null, deviceJid, "replaced", "by command");
    }

    /** {@code <stream:error code=N/>} then close (515 restart, 503 / 500 server trouble, ...). */
    public void streamError(String deviceJid, int code) {
        if (code < 100 || code > 999) {
            throw SimulatorException.badRequest("stream error code must be 100..999");
        }
        requireConnection(deviceJid).streamErrorAndClose(Nodes.node("stream:error", "code", Integer.toString(code)));
    }

    /** {@code <failure reason=N/>} then close (401 logged out, 403 banned). */
    public void failure(String deviceJid, int reason) {
        if (reason < 100 || reason > 999) {
            throw SimulatorException.badRequest("failure reason must be 100..999");
        }
        requireConnection(deviceJid).streamErrorAndClose(Nodes.node("failure", "reason", Integer.toString(reason)));
    }

    /**
     * A temporary ban: {@code <failure reason="402" code=banCode expire=seconds/>} now on the device's
     * connection if it has one, and at every login until the ban ends, with the seconds that remain
     * (whatsmeow connectionevents.go handleConnectFailure reads {@code code} and {@code expire}; events.go
     * TempBanReason lists codes 101..106).
     */
    public void temporaryBan(String deviceJid, int banCode, Duration expire) {
        requireDevice(deviceJid);
        if (expire.isNegative() || expire.isZero() || expire.compareTo(Duration.ofDays(365)) > 0) {
            throw SimulatorException.badRequest("expire must be between 1 second and 365 days");
        }
        if (banCode < 0 || banCode > 999) {
            throw SimulatorException.badRequest("ban code must be 0..999");
        }
        TemporaryBan ban = new TemporaryBan(banCode, Instant.now().plus(expire));
        bans.put(deviceJid, ban);
        ServerConnection conn = active.get(deviceJid);
        if (conn != null) {
            conn.streamErrorAndClose(ban.failure(Instant.now()));
        }
        event(conn, deviceJid, "temporary-ban", "code " + banCode + " for " + expire.toSeconds() + " s");
    }

    /**
     * The device's next login gets {@code <failure reason=N/>} instead of {@code <success>}, which is where
     * the real server says it (whatsmeow connectionevents.go handleConnectFailure runs at connect); then the
     * stream closes. Once.
     */
    public void failNextLogin(String deviceJid, int reason) {
        requireDevice(deviceJid);
        if (reason < 100 || reason > 999) {
            throw SimulatorException.badRequest("failure reason must be 100..999");
        }
        loginFailures.put(deviceJid, reason);
    }

    /** The failure a login of this device gets now (a one-shot failure, else a ban), or null. */
    Node loginFailure(String deviceJid) {
        Integer once = loginFailures.remove(deviceJid);
        if (once != null) {
            return Nodes.node("failure", "reason", Integer.toString(once), "location", "sim");
        }
        return banFailure(deviceJid);
    }

    /** The failure a login of this device gets now, or null when it is not banned. */
    private Node banFailure(String deviceJid) {
        TemporaryBan ban = bans.get(deviceJid);
        Instant now = Instant.now();
        if (ban == null) {
            return null;
        }
        if (!now.isBefore(ban.until())) {
            bans.remove(deviceJid, ban);
            return null;
        }
        return ban.failure(now);
    }

    private record TemporaryBan(int code, Instant until) {
        Node failure(Instant now) {
            long seconds = Math.max(1, Duration.between(now, until).toSeconds());
            return Nodes.node("failure", "reason", "402", "code", Integer.toString(code), "expire", Long.toString(seconds));
        }
    }

    /**
     * Scripts the server's answer to the next companion_hello of any connection: {@code <iq type="error">
     * <error code=N text=.../></iq>} instead of the pairing ref, as the real server answers a request it
     * refuses (400 bad-request for a display it does not accept; whatsmeow issue #450, Baileys issue #1016).
     */
    public void refuseNextPairingCodeRequest(int code) {
        if (code < 400 || code > 599) {
            throw SimulatorException.badRequest("error code must be 400..599");
        }
        nextCompanionHelloError.set(new int[] {code});
    }

    /** The scripted error code for this companion_hello, taken once, or 0. */
    int takeCompanionHelloError() {
        int[] code = nextCompanionHelloError.getAndSet(null);
        return code == null ? 0 : code[0];
    }

    /** Drops the TCP connection without a WebSocket close. */
    public void drop(String deviceJid) {
        requireConnection(deviceJid).drop();
    }

    /**
     * The device's current connection goes silent: it stays open, but the server neither answers nor sends
     * anything on it any more (no pings, no iq results, no messages), as a frozen server would; what the client
     * sends is still recorded. The connection ends when the client closes it, when the client itself sends
     * nothing for {@link SimulatorConfig#idleTimeout()}, or by a command or a newer login of the device. Only
     * this connection is affected: the device's next connection is served normally.
     */
    public void silence(String deviceJid) {
        ServerConnection c = requireConnection(deviceJid);
        c.silence();
        event(c, deviceJid, "silenced", "by command");
    }

    /**
     * Tells the device the server runs low on its one-time prekeys: {@code <notification from="s.whatsapp.net"
     * type="encrypt" id t><count value=N/></notification>} (see {@link ServerConnection#notifyPreKeyLow}). The
     * prekeys the simulator stores are left as they are; a client answers with an ack and, when {@code count}
     * is below its threshold, a new upload.
     *
     * @return the notification id (the client's ack carries it)
     */
    public String notifyLowPreKeys(String deviceJid, int count) {
        if (count < 0 || count > MAX_PREKEYS_PER_DEVICE) {
            throw SimulatorException.badRequest("count must be between 0 and " + MAX_PREKEYS_PER_DEVICE);
        }
        ServerConnection c = requireConnection(deviceJid);
        String id = c.notifyPreKeyLow(count);
        event(c, deviceJid, "prekey-low", "count " + count + ", notification " + id);
        return id;
    }

    /**
     * Sends a top-level {@code <status>} or {@code <appdata>} stanza from a phone to a connected device, with an
     * {@code <enc>} payload the device has no session for: what the server delivers besides messages (a status
     * update from {@code status@broadcast} with the poster as {@code participant}, whatsapp-rust PR #1101;
     * appdata, handled as an encrypted message by whatsmeow client.go nodeHandlers). The device must ack it
     * with {@code class} = the tag; until then it is replayed at every login.
     *
     * @return the stanza id
     */
    public String sendStanza(String deviceJid, String tag, Phone from) {
        if (!tag.equals("status") && !tag.equals("appdata")) {
            throw SimulatorException.badRequest("tag must be status or appdata");
        }
        ServerConnection c = requireConnection(deviceJid);
        String id = HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        Map<String, String> attrs = tag.equals("status")
                ? Nodes.attrs("id", id, "from", "status@broadcast", "participant", from.senderAddress(),
                        "t", Long.toString(Instant.now().getEpochSecond()), "type", "text")
                : Nodes.attrs("id", id, "from", from.senderAddress(), "t", Long.toString(Instant.now().getEpochSecond()));
        c.deliver(Node.withChildren(tag, attrs, List.of(Node.withBytes("enc", Nodes.attrs("v", "2", "type", "msg"),
                randomBytes(48)))));
        event(c, deviceJid, tag + "-sent", id);
        return id;
    }

    /**
     * Sends {@code nodeBytes} as one transport frame (flag byte 0, then these bytes, encrypted) on the
     * device's connection, whether or not they form a valid node: for tests of how a client copes with a
     * stanza it cannot decode.
     */
    public void sendRawStanza(String deviceJid, byte[] nodeBytes) {
        ServerConnection c = requireConnection(deviceJid);
        c.sendRaw(nodeBytes);
        event(c, deviceJid, "raw-stanza-sent", nodeBytes.length + " bytes");
    }

    /** Refuses WebSocket upgrades (HTTP error before the upgrade) for the given time. */
    public void refuseConnections(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw SimulatorException.badRequest("duration must not be negative");
        }
        refuseUntil = Instant.now().plus(duration);
    }

    public boolean refusing() {
        return Instant.now().isBefore(refuseUntil);
    }

    // ---------------------------------------------------------------- recording

    /** Every node received so far, in arrival order. */
    public List<RecordedNode> nodes() {
        synchronized (recordLock) {
            return List.copyOf(recorded);
        }
    }

    /** Nodes received from connections logged in as this device. */
    public List<RecordedNode> nodes(String deviceJid) {
        return nodes().stream().filter(n -> deviceJid.equals(n.deviceJid())).toList();
    }

    /**
     * Returns the first node not taken before that matches (from this device; any connection when
     * {@code deviceJid} is null), waiting for it up to {@code timeout}; marks it taken.
     *
     * @throws SimulatorException (408) when none arrives in time
     */
    public RecordedNode takeNode(String deviceJid, Predicate<RecordedNode> predicate, Duration timeout) {
        return awaitRecorded(() -> {
            for (RecordedNode n : recorded) {
                if (!taken.contains(n) && (deviceJid == null || deviceJid.equals(n.deviceJid())) && predicate.test(n)) {
                    taken.add(n);
                    return n;
                }
            }
            return null;
        }, "node", timeout);
    }

    public List<SimulatorEvent> events() {
        synchronized (recordLock) {
            return List.copyOf(events);
        }
    }

    /** Waits for an event (past or future) matching the predicate. */
    public SimulatorEvent awaitEvent(Predicate<SimulatorEvent> predicate, Duration timeout) {
        return awaitRecorded(() -> {
            for (SimulatorEvent e : events) {
                if (predicate.test(e)) {
                    return e;
                }
            }
            return null;
        }, "event", timeout);
    }

    /**
     * Runs {@code find} under recordLock until it returns non-null, waiting for new recordings in between.
     *
     * @throws SimulatorException (408) when nothing is found in time
     */
    private <T> T awaitRecorded(java.util.function.Supplier<T> find, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (recordLock) {
            while (true) {
                T found = find.get();
                if (found != null) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SimulatorException(408, "no matching " + what + " within " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(recordLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SimulatorException(408, "interrupted");
                }
            }
        }
    }

    // ---------------------------------------------------------------- state

    /** A snapshot of everything that survives a restart. */
    public SimulatorState exportState() {
        synchronized (lock) {
            List<SimulatorState.PhoneState> ps = new ArrayList<>();
            for (Phone p : phones.values()) {
                ps.add(new SimulatorState.PhoneState(p.id(), p.number(), p.accountKey().privateKey(), p.lidUser(),
                        nextDeviceIds.getOrDefault(p.id(), 1), p.profile().lidAddressed(), p.profile().hostedBusiness()));
            }
            Map<String, List<UploadedPreKey>> pk = new LinkedHashMap<>();
            preKeys.forEach((k, v) -> pk.put(k, List.copyOf(v)));
            Map<String, List<SimulatorState.PendingMessage>> pm = new LinkedHashMap<>();
            pending.forEach((k, v) -> pm.put(k, List.copyOf(v)));
            return new SimulatorState(SimulatorState.CURRENT_VERSION, rootKey.privateKey(), ps,
                    List.copyOf(devices.values()), pk, pm);
        }
    }

    private void importState(SimulatorState state) {
        synchronized (lock) {
            long maxId = 0;
            for (SimulatorState.PhoneState p : state.phones()) {
                phones.put(p.id(), new Phone(this, p.id(), p.number(), KeyPair.fromPrivateKey(p.accountPrivateKey()),
                        p.lidUser(), new PhoneProfile(p.lidAddressed(), p.hostedBusiness())));
                nextDeviceIds.put(p.id(), Math.max(1, p.nextDeviceId()));
                String digits = p.id().replaceAll("\\D", "");
                if (!digits.isEmpty()) {
                    maxId = Math.max(maxId, Long.parseLong(digits));
                }
            }
            phoneIds.set(maxId);
            for (LinkedDevice d : state.devices()) {
                devices.put(d.jid(), d);
            }
            state.preKeys().forEach((k, v) -> preKeys.put(k, new ArrayList<>(v)));
            state.pendingMessages().forEach((k, v) -> pending.put(k, new ArrayList<>(v)));
        }
    }

    private void persist() {
        if (store != null) {
            // snapshot and write as one step: otherwise two threads can write their snapshots in the wrong
            // order and leave an older state on disk (order: persistLock, then lock)
            synchronized (persistLock) {
                store.save(exportState());
            }
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("stopping the WebSocket server: {}", e.toString());
        }
        scheduler.shutdownNow();
    }

    // ---------------------------------------------------------------- internals used by connections and phones

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ServerConnection newConnection(org.java_websocket.WebSocket ws) {
        ServerConnection c = new ServerConnection(connectionIds.incrementAndGet(), ws, this, serverStatic, certChain);
        c.startLifetime();
        event(c, "opened", null);
        return c;
    }

    void onClosed(ServerConnection c) {
        // Java-WebSocket calls onClose while holding its WebSocketImpl monitor, and a connection holds its own
        // monitor when it sends or closes; taking the connection's monitor here could deadlock, so its cleanup
        // runs on the timer thread.
        try {
            scheduler.execute(c::onClosed);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            c.onClosed();
        }
        String jid = c.deviceJid();
        if (jid != null) {
            active.remove(jid, c);
        }
        refOwners.values().removeIf(owner -> owner == c);
        codeWaiters.values().removeIf(owner -> owner == c);
        event(c, "closed", null);
    }

    void onRefused(String why) {
        event(null, null, "refused", why);
    }

    LinkedDevice scan(Phone phone, QrCode qr) {
        ServerConnection c = refOwners.get(qr.ref());
        if (c == null) {
            throw SimulatorException.notFound("no connection is showing QR ref " + qr.ref());
        }
        return await(c.acceptScan(phone, qr), "the companion's pair-device-sign");
    }

    LinkedDevice enterCode(Phone phone, String code) {
        String normalized = code == null ? "" : code.replace("-", "").replace(" ", "").toUpperCase();
        if (!normalized.matches("[0-9A-Z]{8}")) {
            throw SimulatorException.badRequest("pairing code must be 8 letters or digits");
        }
        ServerConnection c = waitForCodeRequest(phone.number());
        if (c == null) {
            throw SimulatorException.conflict("no companion is waiting for a pairing code for " + phone.number());
        }
        return await(c.enterCode(phone, normalized), "the companion's companion_finish and pair-device-sign");
    }

    /**
     * The connection waiting for a code for this number, waiting up to {@link #CODE_REQUEST_WAIT} for its
     * companion_hello: a client shows the code as soon as it sent the iq (Baileys does not wait for the
     * answer), so a script can be faster than the server; a person typing the code never is.
     */
    private ServerConnection waitForCodeRequest(String number) {
        long deadline = System.nanoTime() + CODE_REQUEST_WAIT.toNanos();
        while (true) {
            // checked without recordLock: connections take their own monitor before recordLock
            ServerConnection c = codeWaiters.get(number);
            if (c != null && c.waitingForCode(number)) {
                return c;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            synchronized (recordLock) {
                try {
                    // woken by the link-code-requested event; the short bound covers a wake-up missed in between
                    TimeUnit.NANOSECONDS.timedWait(recordLock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private LinkedDevice await(CompletableFuture<LinkedDevice> f, String what) {
        try {
            return f.get(config.pairingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SimulatorException(504, "timed out waiting for " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SimulatorException se) {
                throw se;
            }
            throw new SimulatorException(502, "pairing failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException(503, "interrupted");
        }
    }

    List<String> newRefs(ServerConnection c, int count) {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // real refs look like "2@" + base64 text; any unique string works for clients
            String ref = "2@" + Base64.getEncoder().withoutPadding().encodeToString(randomBytes(36));
            refs.add(ref);
            refOwners.put(ref, c);
        }
        return refs;
    }

    String newLinkCodeRef() {
        return "2@" + Base64.getEncoder().withoutPadding().encodeToString(randomBytes(24));
    }

    void linkCodeRequested(String number, ServerConnection c) {
        codeWaiters.put(number, c);
    }

    record DeviceSlot(int deviceId, int keyIndex, String jid, String lid) {
    }

    DeviceSlot allocateDevice(Phone phone) {
        int deviceId;
        synchronized (lock) {
            deviceId = nextDeviceIds.merge(phone.id(), 1, Integer::sum) - 1;
        }
        persist();
        return new DeviceSlot(deviceId, deviceId, deviceJid(phone.number(), deviceId),
                phone.lidUser() + ":" + deviceId + "@lid");
    }

    static String deviceJid(String user, int device) {
        return device == 0 ? user + "@s.whatsapp.net" : user + ":" + device + "@s.whatsapp.net";
    }

    void linkDevice(LinkedDevice device, ServerConnection c) {
        synchronized (lock) {
            devices.put(device.jid(), device);
        }
        refOwners.values().removeIf(owner -> owner == c);
        codeWaiters.values().removeIf(owner -> owner == c);
        persist();
        event(c, device.jid(), "paired", device.method());
    }

    void forgetDevice(String jid, String why) {
        synchronized (lock) {
            devices.remove(jid);
            preKeys.remove(jid);
            pending.remove(jid);
        }
        acks.forget(jid);
        persist();
        event(null, jid, "device-removed", why);
    }

    /** Registers a logged-in connection; an older one for the same device is replaced, as the real server does. */
    void attach(String jid, ServerConnection c) {
        ServerConnection old = active.put(jid, c);
        if (old != null && old != c) {
            // on the timer thread: the caller holds c's monitor, and taking old's here could deadlock with
            // a simultaneous login on old
            try {
                scheduler.execute(() -> old.streamErrorAndClose(
                        Nodes.parent("stream:error", Nodes.attrs(), Nodes.node("conflict", "type", "replaced"))));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                old.drop();
            }
            event(old, jid, "replaced", "a newer login");
        }
    }

    AckTracker acks() {
        return acks;
    }

    /** Stanzas the device has not acked yet, oldest first. */
    public List<Node> unacked(String deviceJid) {
        return acks.owed(deviceJid);
    }

    List<Node> backlog(String jid) {
        List<Node> out = new ArrayList<>();
        synchronized (lock) {
            for (SimulatorState.PendingMessage m : pending.getOrDefault(jid, List.of())) {
                out.add(messageNode(m));
            }
        }
        return out;
    }

    void messageAcked(String jid, String id) {
        boolean changed;
        synchronized (lock) {
            List<SimulatorState.PendingMessage> list = pending.get(jid);
            changed = list != null && list.removeIf(m -> m.id().equals(id));
        }
        if (changed) {
            persist();
        }
    }

    /**
     * {@code <message id from t type="text" [sender_pn]><plaintext>..}: a LID-addressed sender comes with its
     * phone number in {@code sender_pn} (whatsmeow message.go parseMessageSource; Baileys 7 decode-wa-message).
     */
    private static Node messageNode(SimulatorState.PendingMessage m) {
        byte[] content = Message.newBuilder().setConversation(m.text()).build().toByteArray();
        Map<String, String> attrs = Nodes.attrs("id", m.id(), "from", m.fromJid(), "t", Long.toString(m.timestamp()),
                "type", "text");
        if (m.senderPn() != null) {
            attrs.put("sender_pn", m.senderPn());
        }
        return Node.withChildren("message", attrs, List.of(Nodes.bytes("plaintext", content)));
    }

    int preKeyCount(String jid) {
        synchronized (lock) {
            List<UploadedPreKey> keys = jid == null ? null : preKeys.get(jid);
            return keys == null ? config.initialPreKeyCount() : keys.size();
        }
    }

    void storePreKeys(String jid, List<UploadedPreKey> keys) {
        synchronized (lock) {
            List<UploadedPreKey> stored = preKeys.computeIfAbsent(jid, k -> new ArrayList<>());
            stored.addAll(keys);
            if (stored.size() > MAX_PREKEYS_PER_DEVICE) {
                stored.subList(0, stored.size() - MAX_PREKEYS_PER_DEVICE).clear();
            }
        }
        persist();
    }

    void updateSignedPreKey(String jid, int id, byte[] publicKey, byte[] signature) {
        synchronized (lock) {
            LinkedDevice d = devices.get(jid);
            if (d == null) {
                return;
            }
            devices.put(jid, new LinkedDevice(d.jid(), d.lid(), d.phoneId(), d.deviceId(), d.noisePublicKey(),
                    d.identityPublicKey(), d.registrationId(), id, publicKey, signature, d.keyIndex(), d.platform(),
                    d.method(), d.linkedAt()));
        }
        persist();
    }

    /** Records a received node; {@code wireSize} (its decrypted frame length) counts against the byte budget. */
    void record(ServerConnection c, Node node, int wireSize) {
        synchronized (recordLock) {
            recorded.addLast(new RecordedNode(c.id(), c.deviceJid(), node, Instant.now()));
            recordedSizes.addLast(wireSize);
            recordedBytes += wireSize;
            while (recorded.size() > MAX_RECORDED || (recordedBytes > MAX_RECORDED_BYTES && recorded.size() > 1)) {
                taken.remove(recorded.removeFirst());
                recordedBytes -= recordedSizes.removeFirst();
            }
            recordLock.notifyAll();
        }
    }

    void event(ServerConnection c, String type, String detail) {
        event(c, c == null ? null : c.deviceJid(), type, detail);
    }

    void event(ServerConnection c, String jid, String type, String detail) {
        SimulatorEvent e = new SimulatorEvent(c == null ? 0 : c.id(), jid, type, detail, Instant.now());
        log.debug("{}", e);
        synchronized (recordLock) {
            events.addLast(e);
            while (events.size() > MAX_RECORDED) {
                events.removeFirst();
            }
            recordLock.notifyAll();
        }
    }

    private LinkedDevice requireDevice(String jid) {
        LinkedDevice d = jid == null ? null : device(jid);
        if (d == null) {
            throw SimulatorException.notFound("no linked device " + quote(jid));
        }
        return d;
    }

    private ServerConnection requireConnection(String jid) {
        requireDevice(jid);
        ServerConnection c = active.get(jid);
        if (c == null) {
            throw SimulatorException.conflict("device " + jid + " is not connected");
        }
        return c;
    }

    private String hostForUrl() {
        String h = config.host();
        if (h.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String randomDigits(int n) {
        StringBuilder sb = new StringBuilder();
        sb.append(1 + RANDOM.nextInt(9));
        while (sb.length() < n) {
            sb.append(RANDOM.nextInt(10));
        }
        return sb.toString();
    }

    static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
