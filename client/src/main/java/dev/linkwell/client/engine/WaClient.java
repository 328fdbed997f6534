package dev.linkwell.client.engine;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.client.Disconnect;
import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.EngineListener;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.client.pair.PairSuccess;
import dev.linkwell.client.pair.PairingCode;
import dev.linkwell.client.pair.QrPairing;
import dev.linkwell.client.pair.Registration;
import dev.linkwell.client.socket.FrameSocket;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.client.store.CredentialsRepository;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.client.message.MessageEvents;
import dev.linkwell.client.message.MessageSource;
import dev.linkwell.client.store.LidMap;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.BinaryFrames;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateException;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.NoiseTransport;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.pair.CompanionPlatform;
import dev.linkwell.protocol.proto.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One connection attempt of one session, and the state machine that drives it:
 * <pre>
 *   CONNECTING -(socket open)-> HANDSHAKE -(serverHello verified, clientFinish sent)-> AUTHENTICATING
 *   AUTHENTICATING -(pair-device)-> PAIRING -(pair-success)-> PAIRED -(515)-> CLOSED
 *   AUTHENTICATING -(success)-> OPEN
 *   any -(stream error, failure, socket end, dead link, close())-> CLOSED (reported once)
 * </pre>
 * A {@code WaClient} never reconnects: it reports how it ended and the owner decides (the service
 * applies {@link DisconnectReason#action()}). After pairing the server sends 515 and the owner opens a
 * new {@code WaClient}, which logs in with the stored credentials.
 *
 * <p>Threads: socket callbacks arrive one at a time on virtual threads; timers fire on the runtime's
 * single scheduler thread and hand their work to virtual threads. All protocol state is guarded by
 * one lock per client.
 */
public final class WaClient {

    /** Where the connection stands. */
    public enum State { NEW, CONNECTING, HANDSHAKE, AUTHENTICATING, PAIRING, PAIRED, OPEN, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(WaClient.class);
    /** The server's address as Baileys and whatsmeow write it: a JID with an empty user ({@code @s.whatsapp.net}). */
    private static final String SERVER = Jid.SERVER.toString();

    private final ClientRuntime runtime;
    private final ClientConfig config;
    private final String sessionId;
    private final CredentialsRepository repository;
    private final EngineListener listener;
    private final Optional<String> phone;

    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final java.util.Queue<Runnable> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Map<String, CompletableFuture<Node>> pending = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final String idPrefix;
    private final AtomicLong idCounter = new AtomicLong();

    private volatile State state = State.NEW;
    private Credentials creds;
    private FrameSocket socket;
    private NoiseInitiator noise;
    private NoiseTransport transport;
    private Keepalive keepalive;
    private QrPairing qr;
    private ScheduledFuture<?> qrTimer;
    private PairingCode pairingCode;
    /** The pairing ref the server gave in its answer to companion_hello; the phone's notification must name it. */
    private String pairingRef;
    private boolean preKeyUploadInFlight;
    private LidMap lidMap;

    public WaClient(ClientRuntime runtime, ClientConfig config, String sessionId, CredentialStore store,
                    Optional<String> phone, EngineListener listener) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.config = Objects.requireNonNull(config, "config");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.repository = new CredentialsRepository(store, sessionId);
        this.phone = Objects.requireNonNull(phone, "phone");
        this.listener = Objects.requireNonNull(listener, "listener");
        // Baileys generateMdTagPrefix: two random 16-bit numbers, then a counter
        this.idPrefix = (runtime.random().nextInt(65536)) + "." + (runtime.random().nextInt(65536)) + "-";
    }

    public State state() {
        return state;
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * Starts the one connection attempt; returns at once.
     *
     * @throws IllegalStateException when the stored credentials exist but cannot be read
     */
    public void connect() {
        withMdc(() -> {
            lock.lock();
            try {
                if (state != State.NEW) {
                    throw new IllegalStateException("a WaClient connects once; create a new one to reconnect");
                }
                state = State.CONNECTING;
                try {
                    creds = repository.load().orElse(null);
                } catch (RuntimeException e) {
                    // retrying cannot repair a damaged blob: refuse to start instead of pairing anew silently
                    state = State.CLOSED;
                    ended.set(true);
                    throw new IllegalStateException("stored credentials of session " + sessionId
                            + " cannot be read: " + e.getMessage(), e);
                }
                if (creds == null || !creds.paired()) {
                    creds = Registration.newDevice(runtime.random());
                    log.debug("new device keys generated");
                }
                lidMap = repository.loadLidMap();
                CertificateVerifier verifier = new CertificateVerifier(TrustAnchor.of(config.trustAnchor()),
                        Clock.system(ZoneOffset.UTC));
                noise = new NoiseInitiator(creds.noiseKey(), verifier, FrameCodec.WA_INTRO, runtime.random());
                socket = new FrameSocket(noise.intro(), new SocketHandler());
                schedule(() -> {
                    if (state == State.CONNECTING || state == State.HANDSHAKE) {
                        end(Disconnect.of(DisconnectReason.TIMED_OUT, "no handshake within " + config.connectTimeout()));
                    }
                }, config.connectTimeout());
                log.info("connecting to {} ({})", config.url(), creds.paired() ? "login" : "new device");
                socket.open(runtime.http(), config.url(), config.origin(), config.connectTimeout());
            } finally {
                lock.unlock();
            }
            drain();
        });
    }

    /** Closes the connection on purpose; reported as {@link DisconnectReason#USER_CLOSED}. Idempotent. */
    public void close() {
        withMdc(() -> end(Disconnect.of(DisconnectReason.USER_CLOSED, "closed by the service")));
    }

    /**
     * Tells the server this companion logs out (Baileys logout: {@code iq xmlns=md
     * <remove-companion-device jid reason="user_initiated"/>}), then ends with LOGGED_OUT.
     */
    public void logout() {
        withMdc(() -> {
            lock.lock();
            try {
                if (state == State.OPEN && creds != null && creds.me() != null) {
                    sendNode(Node.builder("iq").attr("to", SERVER).attr("type", "set").attr("id", nextId()).attr("xmlns", "md")
                            .child(Node.builder("remove-companion-device").attr("jid", creds.me())
                                    .attr("reason", "user_initiated").build())
                            .build());
                }
            } catch (RuntimeException e) {
                log.debug("logout notice not sent: {}", e.getMessage());
            } finally {
                lock.unlock();
            }
            end(Disconnect.of(DisconnectReason.LOGGED_OUT, "logged out by the service"));
        });
    }

    // ---------------------------------------------------------------- socket events

    private final class SocketHandler implements FrameSocket.Handler {
        @Override
        public void onOpen() {
            withMdc(() -> guarded(() -> {
                if (state != State.CONNECTING) {
                    return;
                }
                state = State.HANDSHAKE;
                socket.send(noise.clientHello());
            }));
        }

        @Override
        public void onFrame(byte[] frame) {
            withMdc(() -> guarded(() -> handleFrame(frame)));
        }

        @Override
        public void onClosed(int statusCode, String reason, Throwable error) {
            withMdc(() -> {
                if (error != null) {
                    log.debug("socket ended", error);
                }
                end(StreamErrors.socketClosed(reason));
            });
        }
    }

    private void handleFrame(byte[] frame) {
        if (state == State.CLOSED) {
            return;
        }
        if (keepalive != null) {
            keepalive.received();
        }
        if (state == State.HANDSHAKE) {
            try {
                noise.processServerHello(frame);
            } catch (CertificateException e) {
                log.error("server certificate refused ({}): {}", e.check(), e.getMessage());
                end(Disconnect.of(DisconnectReason.BAD_CERTIFICATE,
                        "server certificate chain refused: " + e.getMessage()));
                return;
            }
            byte[] payload = (creds.paired() ? Registration.loginPayload(creds, config)
                    : Registration.registrationPayload(creds, config)).toByteArray();
            socket.send(noise.clientFinish(payload));
            transport = noise.transport();
            noise = null;
            state = State.AUTHENTICATING;
            keepalive = new Keepalive(runtime.clock(), config.keepaliveInterval(), config.deadLinkTimeout());
            scheduleRepeating(this::keepaliveTick, keepalive.tickPeriod());
            log.debug("handshake done, {} sent", creds.paired() ? "login" : "registration");
            return;
        }
        byte[] plain = transport.decrypt(frame); // a frame that does not decrypt means the link is broken
        Node node;
        try {
            node = BinaryFrames.decodeFrame(plain);
        } catch (ProtocolException e) {
            // one stanza we cannot read must not cost the connection (and a reconnect loop, since the
            // server replays unacked stanzas): whatsmeow logs the decode error and reads on
            log.warn("skipped an inbound stanza that does not decode ({} bytes): {}", plain.length, e.getMessage());
            return;
        }
        if (log.isTraceEnabled()) {
            log.trace("recv {}", node.tag());
        }
        dispatch(node);
    }

    private void dispatch(Node node) {
        switch (node.tag()) {
            case "iq" -> handleIq(node);
            case "success" -> handleSuccess(node);
            case "stream:error" -> end(StreamErrors.fromStreamError(node));
            case "failure" -> end(StreamErrors.fromFailure(node, config.versionString()));
            case "xmlstreamend" -> end(StreamErrors.streamEnd());
            case "notification" -> handleNotification(node);
            // whatsmeow client.go nodeHandlers: status is an unencrypted message, appdata an encrypted one
            case "message", "status", "appdata" -> handleMessage(node);
            case "receipt", "call" -> ack(node);
            default -> log.debug("ignored <{}>", node.tag());
        }
    }

    private void handleIq(Node iq) {
        String type = iq.attrOr("type", "");
        String id = iq.attr("id");
        if (("result".equals(type) || "error".equals(type)) && id != null) {
            CompletableFuture<Node> waiter = pending.remove(id);
            if (waiter != null) {
                waiter.complete(iq);
            }
            return;
        }
        if (iq.child("pair-device") != null && "set".equals(type)) {
            handlePairDevice(iq);
        } else if (iq.child("pair-success") != null) {
            handlePairSuccess(iq);
        } else if ("get".equals(type) && (iq.child("ping") != null || "urn:xmpp:ping".equals(iq.attr("xmlns")))) {
            // the server's keepalive (whatsmeow connectionevents.go handleIQ): answer at once
            sendNode(resultFor(iq));
        } else if (id != null) {
            log.debug("unhandled iq {} xmlns={}", type, iq.attr("xmlns"));
            sendNode(Node.builder("iq").attr("to", iq.attrOr("from", SERVER)).attr("type", "error").attr("id", id)
                    .child(Node.builder("error").attr("code", "501").attr("text", "feature-not-implemented").build())
                    .build());
        }
    }

    // ---------------------------------------------------------------- pairing

    private void handlePairDevice(Node iq) {
        sendNode(resultFor(iq));
        if (creds.paired()) {
            log.warn("server offers pairing to an already paired device; ignoring");
            return;
        }
        List<String> refs = new ArrayList<>();
        for (Node ref : iq.child("pair-device").children("ref")) {
            String text = ref.contentString();
            if (text != null && !text.isEmpty()) {
                refs.add(text);
            }
        }
        state = State.PAIRING;
        cancel(qrTimer); // a fresh offer replaces any earlier one
        qr = new QrPairing(refs, creds.noiseKey().publicKey(), creds.identityKey().publicKey(), creds.advSecret(),
                config.clientTypeId(), config.qrFirstTimeout(), config.qrNextTimeout());
        if (phone.isPresent()) {
            startPairingCode(refs.size());
        } else {
            log.info("pairing by QR: {} refs offered", refs.size());
            showNextQr();
        }
    }

    private void showNextQr() {
        if (state != State.PAIRING) {
            return;
        }
        QrPairing.Shown shown = qr.nextQr();
        if (shown == null) {
            end(Disconnect.of(DisconnectReason.QR_REFS_EXHAUSTED, "QR refs exhausted: nobody scanned a QR code in time"));
            return;
        }
        qrTimer = schedule(this::showNextQr, shown.ttl());
        String text = shown.text();
        emit(() -> listener.on(new EngineEvent.Qr(text)));
    }

    /**
     * Asks the server to send a pairing code to the phone. companion_hello is a query (whatsmeow PairPhone):
     * the code is shown only once the server accepted it and gave the pairing ref; an error answer (400
     * for a display or number it refuses) ends the attempt with {@link DisconnectReason#PAIRING_FAILED}.
     */
    private void startPairingCode(int refs) {
        pairingCode = PairingCode.create(phone.get(), runtime.random());
        log.info("pairing by code for phone ending {}", phone.get().substring(Math.max(0, phone.get().length() - 2)));
        query(pairingCode.companionHello(nextId(), creds.noiseKey().publicKey(), CompanionPlatform.clientTypeId(
                CompanionPlatform.browserOf(config.pairingDisplay())).orElseThrow(), config.pairingDisplay(), runtime.random()))
                .whenComplete((answer, failure) -> withMdc(() -> guarded(() -> onCompanionHelloAnswer(answer, failure, refs))));
    }

    private void onCompanionHelloAnswer(Node answer, Throwable failure, int refs) {
        if (state != State.PAIRING || pairingCode == null) {
            return;
        }
        int code = 0;
        String why;
        if (failure != null) {
            why = "no answer to the pairing-code request: " + failure.getMessage();
        } else {
            try {
                pairingRef = PairingCode.pairingRef(answer);
                why = null;
            } catch (ProtocolException e) {
                Node error = answer.child("error");
                code = error == null ? 0 : parseInt(error.attr("code"));
                why = e.getMessage();
            }
        }
        if (why != null) {
            end(Disconnect.of(DisconnectReason.PAIRING_FAILED, code == 0 ? DisconnectReason.PAIRING_FAILED.code() : code,
                    why + " (pairing display \"" + config.pairingDisplay() + "\")"));
            return;
        }
        // the code lives as long as the refs the server offered would have lived as QRs
        Duration life = config.qrFirstTimeout().plus(config.qrNextTimeout().multipliedBy(Math.max(0, refs - 1)));
        qrTimer = schedule(() -> {
            if (state == State.PAIRING) {
                end(Disconnect.of(DisconnectReason.QR_REFS_EXHAUSTED, "pairing code expired: it was not entered in time"));
            }
        }, life);
        String shown = pairingCode.code();
        emit(() -> listener.on(new EngineEvent.PairingCode(shown)));
    }

    private void handleNotification(Node node) {
        ack(node);
        if ("encrypt".equals(node.attr("type")) && node.child("count") != null && state == State.OPEN) {
            // the server says it runs low on our prekeys (whatsmeow notification.go handleEncryptNotification)
            maybeUploadPreKeys(node);
            return;
        }
        if ("link_code_companion_reg".equals(node.attr("type")) && pairingRef != null && state == State.PAIRING) {
            Node reg = node.child("link_code_companion_reg");
            if (reg == null) {
                return;
            }
            PairingCode.Finish finish;
            try {
                finish = pairingCode.finish(reg, pairingRef, nextId(), creds.identityKey(), runtime.random());
            } catch (ProtocolException e) {
                // whatsmeow handleCodePairNotification logs and waits on; a later notification may be right
                log.warn("ignored a pairing-code notification: {}", e.getMessage());
                return;
            }
            creds = creds.withAdvSecret(finish.advSecret());
            log.info("pairing code accepted by the phone; sending companion_finish");
            // read the answer (whatsapp-rust PR #1198: WA Web awaits it): a refusal ends the attempt now
            query(finish.iq()).whenComplete((answer, failure) -> withMdc(() -> guarded(() -> {
                if (state != State.PAIRING) {
                    return;
                }
                if (failure != null) {
                    end(Disconnect.of(DisconnectReason.PAIRING_FAILED, "no answer to companion_finish: " + failure.getMessage()));
                } else if ("error".equals(answer.attr("type"))) {
                    Node error = answer.child("error");
                    int code = error == null ? 0 : parseInt(error.attr("code"));
                    end(Disconnect.of(DisconnectReason.PAIRING_FAILED, code == 0 ? DisconnectReason.PAIRING_FAILED.code() : code,
                            "WhatsApp refused companion_finish: " + (error == null ? "error" : error.attrOr("code", "?") + " "
                                    + error.attrOr("text", "")).strip()));
                }
            })));
        }
    }

    private void handlePairSuccess(Node iq) {
        cancel(qrTimer);
        PairSuccess.Result result;
        try {
            result = PairSuccess.handle(iq, creds);
        } catch (PairSuccess.PairingFailedException e) {
            log.error("pair-success refused: {}", e.getMessage());
            sendNode(e.reply(iq.attrOr("id", "")));
            end(Disconnect.of(DisconnectReason.PAIRING_FAILED, e.code(), "pair-success did not verify: " + e.getMessage()));
            return;
        }
        // persist before answering: once the phone sees our signature the pairing is real
        repository.save(result.credentials());
        creds = result.credentials();
        lidMap.learn(Jid.tryParse(creds.lid()), Jid.tryParse(creds.me()));
        sendNode(result.reply());
        state = State.PAIRED;
        log.info("paired as {}; waiting for the server's restart request", result.jid());
        emit(() -> listener.on(new EngineEvent.Paired(result.jid())));
    }

    // ---------------------------------------------------------------- login

    private void handleSuccess(Node node) {
        cancel(qrTimer);
        String lid = node.attr("lid");
        if (lid != null && !lid.equals(creds.lid())) {
            creds = creds.withLid(lid);
            repository.save(creds);
        }
        lidMap.learn(Jid.tryParse(creds.lid()), Jid.tryParse(creds.me()));
        state = State.OPEN;
        log.info("logged in as {}", creds.me());
        // whatsmeow handleConnectSuccess: tell the server we are active, then check prekeys
        query(Node.builder("iq").attr("to", SERVER).attr("xmlns", "passive").attr("type", "set").attr("id", nextId())
                .child(Node.of("active")).build());
        query(PreKeys.countQuery(nextId())).thenAccept(result -> withMdc(() -> guarded(() -> maybeUploadPreKeys(result))))
                .exceptionally(e -> {
                    log.debug("prekey count failed: {}", e.getMessage());
                    return null;
                });
        String me = creds.me();
        emit(() -> listener.on(new EngineEvent.Opened(me)));
    }

    /**
     * Uploads one-time prekeys when the server holds fewer than {@link ClientConfig#minPreKeys()}: 812 the
     * first time (nothing uploaded yet and the server holds none), a batch after that, one upload at a
     * time (whatsmeow prekeys.go uploadPreKeys; Baileys 7 uploadPreKeysToServerIfRequired).
     */
    private void maybeUploadPreKeys(Node countResult) {
        int count = PreKeys.parseCount(countResult);
        if (state != State.OPEN || count < 0 || count >= config.minPreKeys() || preKeyUploadInFlight) {
            log.debug("server holds {} prekeys{}", count, preKeyUploadInFlight ? "; an upload is in flight" : "");
            return;
        }
        boolean first = count == 0 && creds.nextPreKeyId() == 1;
        PreKeys.Batch batch = PreKeys.generate(creds, first ? config.initialPreKeys() : config.preKeyBatch(), runtime.random());
        repository.savePreKeys(batch.keys());
        repository.save(batch.updated());
        creds = batch.updated();
        log.info("server holds {} prekeys; uploading {}", count, batch.keys().size());
        preKeyUploadInFlight = true;
        query(PreKeys.uploadNode(nextId(), creds, batch.keys())).whenComplete((answer, failure) -> withMdc(() -> guarded(() -> {
            preKeyUploadInFlight = false;
            if (failure != null || "error".equals(answer.attr("type"))) {
                log.warn("prekey upload failed: {}", failure != null ? failure.getMessage() : answer);
            }
        })));
    }

    // ---------------------------------------------------------------- messages

    /**
     * Acks every message-like stanza (whatsmeow sendAck once handled) and relays the readable ones: a
     * {@code <plaintext>} child is an unpadded Message protobuf (Baileys Utils/decode-wa-message.js).
     * {@code <enc>} payloads need Signal sessions, which are not built yet. What the stanza says about
     * LID and phone-number addresses is learned into the session's {@link LidMap}.
     */
    private void handleMessage(Node node) {
        ack(node);
        MessageSource source = MessageSource.of(node, creds.me(), creds.lid());
        if (source == null) {
            log.debug("{} {} has no usable sender", node.tag(), node.attr("id"));
            return;
        }
        lidMap.learn(source.senderLid(), source.senderPhoneNumber());
        Node plaintext = node.child("plaintext");
        if (plaintext == null || plaintext.contentBytes() == null) {
            if (node.child("enc") != null) {
                log.debug("encrypted message {} not decrypted (Signal sessions not implemented)", node.attr("id"));
            }
            return;
        }
        Message m;
        try {
            m = Message.parseFrom(plaintext.contentBytes());
        } catch (InvalidProtocolBufferException e) {
            log.debug("plaintext message {} does not parse: {}", node.attr("id"), e.getMessage());
            return;
        }
        Map<String, Object> data = MessageEvents.of(node, source, lidMap, m);
        emit(() -> listener.on(new EngineEvent.MessageReceived(data)));
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- keepalive

    private void keepaliveTick() {
        if (state == State.CLOSED || keepalive == null) {
            return;
        }
        switch (keepalive.tick()) {
            case DEAD -> {
                log.warn("no data from the server for {} ms; the link is dead", keepalive.silenceMillis());
                end(Disconnect.of(DisconnectReason.TIMED_OUT, "connection lost: no answer to keepalive pings for "
                        + keepalive.silenceMillis() + " ms"));
            }
            case PING -> query(Node.builder("iq").attr("id", nextId()).attr("to", SERVER).attr("type", "get").attr("xmlns", "w:p")
                    .child(Node.of("ping")).build())
                    .exceptionally(e -> null);
            case NOTHING -> {
            }
        }
    }

    // ---------------------------------------------------------------- sending

    private String nextId() {
        return idPrefix + idCounter.incrementAndGet();
    }

    private static Node resultFor(Node iq) {
        Node.Builder b = Node.builder("iq").attr("to", iq.attrOr("from", SERVER)).attr("type", "result");
        if (iq.attr("id") != null) {
            b.attr("id", iq.attr("id"));
        }
        return b.build();
    }

    private void ack(Node node) {
        Acks.ackFor(node).ifPresent(this::sendNode);
    }

    private void sendNode(Node node) {
        if (transport == null || state == State.CLOSED) {
            return;
        }
        ReentrantLock sendLock = socket.sendLock();
        sendLock.lock();
        try {
            // encrypt and enqueue together so the GCM counter order is the wire order
            socket.send(transport.encrypt(BinaryFrames.encodeFrame(node)));
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends an iq and completes with the server's answer (result or error) or a timeout. */
    private CompletableFuture<Node> query(Node iq) {
        String id = iq.requireAttr("id");
        CompletableFuture<Node> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ScheduledFuture<?> timeout = runtime.scheduler().schedule(
                () -> {
                    if (pending.remove(id) != null) {
                        answer.completeExceptionally(new TimeoutException("no answer to iq " + id));
                    }
                }, config.iqTimeout().toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((v, e) -> timeout.cancel(false));
        sendNode(iq);
        return answer;
    }

    // ---------------------------------------------------------------- ending

    private void end(Disconnect why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            state = State.CLOSED;
            synchronized (timers) {
                timers.forEach(t -> t.cancel(false));
                timers.clear();
            }
            cancel(qrTimer);
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection ended")));
            pending.clear();
            if (socket != null) {
                socket.close();
            }
        } finally {
            lock.unlock();
        }
        if (why.reason() == DisconnectReason.USER_CLOSED || why.reason() == DisconnectReason.RESTART_REQUIRED) {
            log.info("connection ended: {} ({})", why.reason().wireName(), why.detail());
        } else {
            log.warn("connection ended: {} ({})", why.reason().wireName(), why.detail());
        }
        emit(() -> listener.on(new EngineEvent.Disconnected(why)));
        drain();
    }

    /**
     * Listener calls never run under the client's lock: the service calls {@link #close()} while holding
     * its own per-session lock, and a listener call made under ours could deadlock against it. Events
     * are queued in order and delivered by whichever thread releases the lock last.
     */
    private void emit(Runnable event) {
        outbox.add(event);
    }

    private void drain() {
        if (lock.isHeldByCurrentThread()) {
            return; // the outermost caller drains after unlocking
        }
        while (!outbox.isEmpty()) {
            if (!drainLock.tryLock()) {
                return; // another thread is delivering; it re-checks the queue after unlocking
            }
            try {
                Runnable event;
                while ((event = outbox.poll()) != null) {
                    try {
                        event.run();
                    } catch (RuntimeException e) {
                        log.error("session listener failed", e);
                    }
                }
            } finally {
                drainLock.unlock();
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** Runs protocol work under the lock; any unexpected failure ends the connection. */
    private void guarded(Runnable r) {
        lock.lock();
        try {
            if (state != State.CLOSED) {
                r.run();
            }
        } catch (RuntimeException e) {
            log.warn("protocol error: {}", e.toString());
            log.debug("protocol error detail", e);
            end(Disconnect.of(DisconnectReason.UNKNOWN, "protocol error: " + e.getMessage()));
        } finally {
            lock.unlock();
        }
        drain();
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = runtime.scheduler().schedule(
                () -> runtime.work().execute(() -> withMdc(() -> guarded(task))), delay.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (timers) {
            timers.add(f);
        }
        return f;
    }

    private void scheduleRepeating(Runnable task, Duration period) {
        ScheduledFuture<?> f = runtime.scheduler().scheduleAtFixedRate(
                () -> runtime.work().execute(() -> withMdc(() -> guarded(task))),
                period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (timers) {
            timers.add(f);
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void withMdc(Runnable r) {
        String previous = MDC.get("sessionId");
        MDC.put("sessionId", sessionId);
        try {
            r.run();
        } finally {
            if (previous == null) {
                MDC.remove("sessionId");
            } else {
                MDC.put("sessionId", previous);
            }
        }
    }
}
