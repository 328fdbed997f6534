package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.noise.CertificateMinter;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.time.Scheduler;
import dev.linkwell.protocol.time.SystemScheduler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * A thin facade over its parts: {@link Accounts} (phones, devices, prekeys, waiting messages, bans, the state
 * file), {@link Connections} (who is connected), one {@link ServerConnection} actor per client, the
 * {@link Recorder} (nodes received, {@link SimulatorEvent}s) and {@link Commands} (what a test makes the server
 * and its phones do). Thread-safe; time comes from a {@link Scheduler}: pass a
 * {@link dev.linkwell.protocol.time.ManualScheduler} to move it in tests instead of sleeping.
 */
public final class WaSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WaSimulator.class);
    /** How many received nodes and how many events are kept (the oldest are dropped beyond that). */
    public static final int MAX_RECORDED = 10_000;
    /** How many bytes of received nodes (by frame length) are kept: frames may be 16 MiB each. */
    public static final long MAX_RECORDED_BYTES = 64L * 1024 * 1024;
    /** Uploaded prekeys kept per device, the oldest dropped beyond that: a simulator bound, not a wire fact. */
    public static final int MAX_PREKEYS_PER_DEVICE = 1_000;
    /** How long a stream error leaves the client to close the WebSocket itself before the server does. */
    public static final Duration STREAM_END_GRACE = Duration.ofSeconds(1);
    /** How long {@link Phone#enterCode} waits for the companion's companion_hello to reach the server. */
    static final Duration CODE_REQUEST_WAIT = Duration.ofSeconds(3);

    private final SimulatorConfig config;
    private final Scheduler scheduler;
    private final SystemScheduler ownScheduler;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("wa-simulator-", 0).factory());
    private final CertificateMinter minter;
    private final Accounts accounts;
    private final Recorder recorder;
    private final Connections connections;
    private final AckTracker acks = new AckTracker();
    private final PhoneInbox inbox = new PhoneInbox();
    private final ScriptedDispatcher dispatcher;
    private final Commands commands;
    private final WsServer server;
    private volatile boolean closed;

    private WaSimulator(SimulatorConfig config, StateStore store, SimulatorState initial, Scheduler scheduler) {
        this.config = Objects.requireNonNull(config, "config");
        this.ownScheduler = scheduler == null ? new SystemScheduler("wa-simulator-timer") : null;
        this.scheduler = scheduler == null ? ownScheduler : scheduler;
        SimulatorState state =
                initial != null ? initial : store == null ? null : store.load().orElse(null);
        KeyPair rootKey = state != null && state.rootPrivateKey() != null
                ? KeyPair.fromPrivateKey(state.rootPrivateKey())
                : KeyPair.generate();
        this.minter = new CertificateMinter(rootKey);
        KeyPair serverStatic = KeyPair.generate();
        this.recorder = new Recorder(this.scheduler.clock());
        this.dispatcher = new ScriptedDispatcher(recorder);
        this.accounts = new Accounts(this, store, rootKey.privateKey(), state);
        this.connections = new Connections(this.scheduler.clock());
        ServerParts parts = new ServerParts(
                this,
                config,
                this.scheduler,
                workers,
                accounts,
                recorder,
                connections,
                acks,
                dispatcher,
                new AccountQueries(accounts),
                inbox,
                serverStatic,
                minter.mint(serverStatic.publicKey()),
                new PhoneSender(accounts, connections, recorder, workers));
        this.commands = new Commands(parts, dispatcher);
        this.server = new WsServer(new InetSocketAddress(config.host(), config.port()), parts);
        accounts.writeNow();
    }

    /** Starts a simulator with no saved state, on wall-clock time. */
    public static WaSimulator start(SimulatorConfig config) {
        return start(config, (Path) null);
    }

    /** Starts a simulator with no saved state whose time comes from {@code scheduler}. */
    public static WaSimulator start(SimulatorConfig config, Scheduler scheduler) {
        return listening(new WaSimulator(config, null, null, Objects.requireNonNull(scheduler, "scheduler")));
    }

    /**
     * Starts a simulator whose state (root key, phones, linked devices, prekeys, waiting messages) is loaded
     * from and saved to {@code stateDir} (null: in memory only).
     */
    public static WaSimulator start(SimulatorConfig config, Path stateDir) {
        return listening(new WaSimulator(config, stateDir == null ? null : new StateStore(stateDir), null, null));
    }

    /** Starts from a state exported earlier with {@link #exportState()} (kept in memory only). */
    public static WaSimulator startFrom(SimulatorConfig config, SimulatorState state) {
        return listening(new WaSimulator(config, null, Objects.requireNonNull(state, "state"), null));
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

    // ---------------------------------------------------------------- where, and whom to trust

    public SimulatorConfig config() {
        return config;
    }

    /** The clock and timers of this simulator. */
    public Scheduler scheduler() {
        return scheduler;
    }

    public int port() {
        return server.boundPort();
    }

    /** {@code ws://127.0.0.1:PORT/ws/chat}. */
    public String webSocketUrl() {
        String h = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return "ws://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + WsServer.PATH;
    }

    /** The root key a client must trust to accept this simulator's certificate chain. */
    public TrustAnchor trustAnchor() {
        return minter.trustAnchor();
    }

    // ---------------------------------------------------------------- phones and devices

    public Phone addPhone(String number) {
        return accounts.addPhone(number, PhoneProfile.STANDARD);
    }

    /** A phone of the given kind (LID-addressed, hosted business). */
    public Phone addPhone(String number, PhoneProfile profile) {
        return accounts.addPhone(number, profile);
    }

    public List<Phone> phones() {
        return accounts.phones();
    }

    public Phone phone(String id) {
        return accounts.phone(id);
    }

    public List<LinkedDevice> devices() {
        return accounts.devices();
    }

    /** The linked device, or null. */
    public LinkedDevice device(String jid) {
        return accounts.device(jid);
    }

    public boolean isConnected(String deviceJid) {
        return connections.isConnected(deviceJid);
    }

    /**
     * How many logins found their device still logged in on another connection, which the server then ended with
     * {@code <conflict type="replaced"/>} as the real one does: each is a moment when a device had two sockets.
     * {@link #replace} does not count.
     */
    public long replacedConnections() {
        return connections.replacedByLogin();
    }

    /** Waits until the device is logged in on a connection. */
    public void awaitConnected(String deviceJid, Duration timeout) {
        awaitEvent(e -> e instanceof SimulatorEvent.LoggedIn && deviceJid.equals(e.deviceJid()), timeout);
    }

    /** The prekeys the device uploaded (in upload order). */
    public List<UploadedPreKey> preKeys(String deviceJid) {
        return accounts.preKeys(deviceJid);
    }

    /** Messages sent to the device and not confirmed yet. */
    public List<SimulatorState.PendingMessage> pendingMessages(String deviceJid) {
        return accounts.pending(deviceJid);
    }

    /** Stanzas the device has not acked yet, oldest first. */
    public List<Node> unacked(String deviceJid) {
        return acks.owed(deviceJid);
    }

    // ---------------------------------------------------------------- what the phones send

    /**
     * Sends a text from the phone to a linked device, Signal-encrypted by the phone: {@code <message id from t
     * type="text" notify [sender_pn]><enc v="2" type="pkmsg|msg">}, a pre-key message while the phone has no session
     * with the device ({@link PhoneSender}). Delivered at once when the device is logged in, otherwise at its next
     * login; kept until the device confirms it (an ack, or a receipt naming it), and sent again when the device asks
     * with a retry receipt.
     *
     * @return the message id
     */
    public String sendMessage(String deviceJid, Phone from, String text) {
        return commands.sendMessage(deviceJid, from, text);
    }

    /**
     * Sends a text from the phone, as a member of group {@code groupJid}, to a linked device: {@code <message
     * from=group participant ...>} with the phone's sender key distribution in a one-to-one payload when the device
     * does not have it yet, then the {@code skmsg}.
     *
     * @return the message id
     */
    public String sendGroupMessage(String deviceJid, Phone from, String groupJid, String text) {
        return commands.sendGroupMessage(deviceJid, from, groupJid, text);
    }

    /**
     * The phone's owner writes {@code text} to {@code chatJid} on the phone: every device linked to the phone gets
     * the copy ({@code from} the phone, {@code recipient} the chat, the text inside a {@code deviceSentMessage}).
     *
     * @return the message id
     */
    public String sendFromPhone(Phone phone, String chatJid, String text) {
        return commands.sendFromOwner(phone, chatJid, text);
    }

    /** The next {@code count} messages phones send this device arrive corrupted (the device cannot decrypt them). */
    public void corruptNextMessages(String deviceJid, int count) {
        commands.corruptNextMessages(deviceJid, count);
    }

    /** The next {@code count} messages phones send this device are held until the last, then delivered newest first. */
    public void reverseNextMessages(String deviceJid, int count) {
        commands.reverseNextMessages(deviceJid, count);
    }

    /** The next {@code count} messages phones send this device are each delivered twice. */
    public void doubleNextMessages(String deviceJid, int count) {
        commands.doubleNextMessages(deviceJid, count);
    }

    /**
     * Sends a top-level {@code <status>} (from {@code status@broadcast}, the poster as {@code participant};
     * whatsapp-rust PR #1101) or {@code <appdata>} (an encrypted message to whatsmeow) with an {@code <enc>}
     * payload the device has no session for; it must be acked, else it is replayed at every login.
     *
     * @return the stanza id
     */
    public String sendStanza(String deviceJid, String tag, Phone from) {
        return commands.sendStanza(deviceJid, tag, from);
    }

    /**
     * Sends {@code nodeBytes} as one transport frame (flag byte 0, then these bytes, encrypted) whether or not
     * they form a valid node: for tests of how a client copes with a stanza it cannot decode.
     */
    public void sendRawStanza(String deviceJid, byte[] nodeBytes) {
        commands.sendRawStanza(deviceJid, nodeBytes);
    }

    /**
     * {@code <notification from="s.whatsapp.net" type="encrypt" id t><count value=N/></notification>}: the server
     * runs low on the device's one-time prekeys (Baileys handleEncryptNotification, whatsmeow
     * handleEncryptNotification: both ack it and upload when N < 5). The stored prekeys are not changed.
     *
     * @return the notification id (the client's ack carries it)
     */
    public String notifyLowPreKeys(String deviceJid, int count) {
        return commands.notifyLowPreKeys(deviceJid, count);
    }

    /** The messages the phone received from linked devices and could read, oldest first. */
    public List<ReceivedMessage> received(Phone phone) {
        return inbox.messages(phone);
    }

    /**
     * The phone fails to decrypt the next message a linked device sends it, and sends the device a retry receipt
     * for it (the device should send it again); called n times, the next n messages (a resend included), and from
     * the second try on the receipt carries the phone's keys.
     */
    public void failNextDecrypt(Phone phone) {
        inbox.failNext(phone);
    }

    // ---------------------------------------------------------------- the server misbehaves

    /**
     * The device's next {@code <message>} is refused: the server acks it with {@code error=code} (463: the recipient
     * needs a privacy token, the reach-out lock on new contacts; 479: a malformed field; ...) and relays nothing.
     */
    public void refuseNextMessage(String deviceJid, int code) {
        commands.refuseNextMessage(deviceJid, code);
    }

    /** {@code <stream:error code="401"><conflict type="device_removed"/>}, and the server forgets the device. */
    public void removeDevice(String deviceJid) {
        commands.removeDevice(deviceJid);
    }

    /** {@code <stream:error><conflict type="replaced"/></stream:error>}: Baileys 440 connectionReplaced. */
    public void replace(String deviceJid) {
        commands.replace(deviceJid);
    }

    /** {@code <stream:error code=N/>} then close (515 restart, 503 / 500 server trouble, ...). */
    public void streamError(String deviceJid, int code) {
        commands.streamError(deviceJid, code);
    }

    /** {@code <failure reason=N/>} then close (401 logged out, 403 banned). */
    public void failure(String deviceJid, int reason) {
        commands.failure(deviceJid, reason);
    }

    /**
     * {@code <failure reason="402" code expire/>} now on the device's connection, and at every login until the ban
     * ends, with the seconds that remain (whatsmeow handleConnectFailure; TempBanReason codes 101..106).
     */
    public void temporaryBan(String deviceJid, int banCode, Duration expire) {
        commands.temporaryBan(deviceJid, banCode, expire);
    }

    /** The device's next login gets {@code <failure reason=N/>} in place of {@code <success>}; once. */
    public void failNextLogin(String deviceJid, int reason) {
        commands.failNextLogin(deviceJid, reason);
    }

    /**
     * The next companion_hello of any connection is answered {@code <iq type="error"><error code=N/></iq>}, as the
     * real server refuses a display it does not accept (whatsmeow issue #450, Baileys issue #1016).
     */
    public void refuseNextPairingCodeRequest(int code) {
        commands.refuseNextPairingCodeRequest(code);
    }

    /** Drops the TCP connection without a WebSocket close. */
    public void drop(String deviceJid) {
        commands.drop(deviceJid);
    }

    /**
     * The device's current connection stays open, but the server neither answers nor sends anything on it (no
     * pings, no iq results, no messages, no pongs); what the client sends is still recorded. It ends when the
     * client closes it, sends nothing for {@link SimulatorConfig#idleTimeout()}, or by a command or a newer login.
     */
    public void silence(String deviceJid) {
        commands.silence(deviceJid);
    }

    /** Refuses WebSocket upgrades (HTTP error before the upgrade) for the given time. */
    public void refuseConnections(Duration duration) {
        commands.refuseConnections(duration);
    }

    public boolean refusing() {
        return connections.refusing();
    }

    /** WebSocket upgrade requests per second (accepted or refused) over the last hour, and the total since start. */
    public ConnectionAttempts.Snapshot connectionAttempts() {
        return connections.attempts().snapshot();
    }

    /**
     * Scripts one answer: the first request that matches (a node a client sends, or a device's login) gets
     * {@code reply} instead of the server's own answer, once (recorded as a {@code scripted} event). Scripts are
     * used in the order they were queued.
     */
    public void enqueue(Predicate<Request> match, Reply reply) {
        dispatcher.enqueue(match, reply);
    }

    /** Replaces the dispatcher behind the scripts ({@link Dispatcher#WHATSAPP} by default). */
    public void dispatcher(Dispatcher custom) {
        dispatcher.delegate(custom);
    }

    // ---------------------------------------------------------------- recording

    /** Every node received so far, in arrival order. */
    public List<RecordedNode> nodes() {
        return recorder.nodes();
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
        return recorder.takeNode(deviceJid, predicate, timeout);
    }

    public List<SimulatorEvent> events() {
        return recorder.events();
    }

    /** Waits for an event (past or future) matching the predicate. */
    public SimulatorEvent awaitEvent(Predicate<SimulatorEvent> predicate, Duration timeout) {
        return recorder.awaitEvent(predicate, timeout);
    }

    /** A snapshot of everything that survives a restart. */
    public SimulatorState exportState() {
        return accounts.export();
    }

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
        accounts.close();
        if (ownScheduler != null) {
            ownScheduler.close();
        }
        workers.shutdown();
    }

    // ---------------------------------------------------------------- for phones, connections and the transport

    LinkedDevice scan(Phone phone, QrCode qr) {
        return commands.scan(phone, qr);
    }

    LinkedDevice enterCode(Phone phone, String code) {
        return commands.enterCode(phone, code);
    }

    /** The device uploaded its first prekeys: its phone now sends it what a phone sends a new companion. */
    void companionReady(String jid) {
        commands.companionReady(jid);
    }

    void forgetDevice(String jid, String why) {
        commands.forgetDevice(jid, why);
    }

    static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
