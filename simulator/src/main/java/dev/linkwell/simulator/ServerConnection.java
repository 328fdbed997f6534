package dev.linkwell.simulator;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.BinaryFrames;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.crypto.Aes;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.Hkdf;
import dev.linkwell.protocol.crypto.Hmac;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.Pbkdf2;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.NoiseResponder;
import dev.linkwell.protocol.noise.NoiseTransport;
import dev.linkwell.protocol.pair.CompanionPlatform;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
import dev.linkwell.protocol.proto.ADVEncryptionType;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.version.WaVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: Noise handshake, then either the pairing flow (registration payload) or a login
 * (payload with username + device), then binary nodes. Every method that touches the connection's state or
 * writes to the socket holds this object's monitor, so WebSocket callbacks, admin commands and timers can
 * call in from any thread. Nothing here blocks: waits happen on the caller's thread through futures.
 */
final class ServerConnection {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** HKDF info strings of the pairing-code flow (Baileys 6.17.16 Socket/messages-recv.js ~line 374, 388). */
    private static final byte[] BUNDLE_INFO = "link_code_pairing_key_bundle_encryption_key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ADV_SECRET_INFO = "adv_secret".getBytes(StandardCharsets.UTF_8);
    /** How long a stream error leaves the client to close the WebSocket itself before the server does. */
    static final Duration STREAM_END_GRACE = Duration.ofSeconds(1);

    enum Stage { AWAIT_HELLO, AWAIT_FINISH, HANDSHAKE_DONE, PAIRING, PAIR_SENT, LOGGED_IN, CLOSED }

    private final long id;
    private final WebSocket ws;
    private final WaSimulator sim;
    private final SimulatorConfig config;
    private final FrameCodec.Decoder decoder = FrameCodec.serverDecoder();
    private final FrameCodec.Encoder encoder = FrameCodec.serverEncoder();
    private final NoiseResponder noise;
    private final AccountQueries accountQueries;
    private NoiseTransport transport;
    /** Token tables of the dictionary version the client's intro announced (2 or 3). */
    private TokenDictionary dictionary;
    private Stage stage = Stage.AWAIT_HELLO;
    private byte[] clientStaticKey;
    private ClientPayload payload;
    private volatile String deviceJid;
    private volatile long lastInboundNanos = System.nanoTime();
    private int tag;

    // QR pairing
    private List<String> refs = List.of();
    private Instant refsIssuedAt;
    private ScheduledFuture<?> refsExpiry;
    private ScheduledFuture<?> unpairedExpiry;
    // pairing code
    private PendingCode pendingCode;
    // pair-success sent, waiting for pair-device-sign
    private PendingPair pendingPair;
    // login
    private final Set<String> backlogAwaitingAck = new LinkedHashSet<>();
    private int backlogCount;
    private boolean offlineSent;
    private ScheduledFuture<?> offlineTimer;
    private ScheduledFuture<?> pingTask;
    private long pingTickMillis;
    private long lastPingNanos;
    // silence(): inbound is still read and recorded, nothing is answered or sent
    private volatile boolean silenced;

    ServerConnection(long id, WebSocket ws, WaSimulator sim, KeyPair serverStatic, byte[] certChain) {
        this.id = id;
        this.ws = ws;
        this.sim = sim;
        this.config = sim.config();
        this.noise = new NoiseResponder(serverStatic, certChain);
        this.accountQueries = new AccountQueries(sim);
    }

    long id() {
        return id;
    }

    String deviceJid() {
        return deviceJid;
    }

    synchronized Stage stage() {
        return stage;
    }

    synchronized List<String> refs() {
        return refs;
    }

    // ---------------------------------------------------------------- inbound

    synchronized void onBytes(ByteBuffer data) {
        if (stage == Stage.CLOSED) {
            return;
        }
        lastInboundNanos = System.nanoTime();
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        try {
            for (byte[] frame : decoder.feed(chunk)) {
                if (stage == Stage.CLOSED) {
                    return;
                }
                onFrame(frame);
            }
        } catch (RuntimeException e) {
            log.warn("connection {}: closing after bad input: {}", id, e.toString());
            sim.event(this, "protocol-error", e.getMessage());
            closeQuietly(CloseFrame.PROTOCOL_ERROR, "protocol error");
        }
    }

    private void onFrame(byte[] frame) {
        switch (stage) {
            case AWAIT_HELLO -> {
                byte[] intro = decoder.intro();
                noise.processClientHello(intro, frame);
                // the server speaks the tables the client announced (whatsmeow binary/token/token.go DictVersion)
                dictionary = TokenDictionary.forVersion(intro[3] & 0xff);
                sim.event(this, "handshake", "dictionary v" + dictionary.version());
                ws.send(encoder.encode(noise.serverHello()));
                stage = Stage.AWAIT_FINISH;
            }
            case AWAIT_FINISH -> {
                NoiseResponder.ClientFinish finish = noise.processClientFinish(frame);
                transport = noise.transport();
                clientStaticKey = finish.clientStaticKey();
                try {
                    payload = ClientPayload.parseFrom(finish.clientPayload());
                } catch (InvalidProtocolBufferException e) {
                    throw new ProtocolException("ClientPayload does not parse: " + e.getMessage());
                }
                stage = Stage.HANDSHAKE_DONE;
                long delay = config.postHandshakeDelay().toMillis();
                if (delay == 0) {
                    afterHandshake();
                } else {
                    sim.scheduler().schedule(this::afterHandshake, delay, TimeUnit.MILLISECONDS);
                }
            }
            default -> {
                Node node = BinaryFrames.decodeFrame(transport.decrypt(frame), dictionary);
                try {
                    if (!silenced) {
                        onNode(node);
                    }
                } finally {
                    // recorded once handled, so a test that takes the node sees its effects
                    sim.record(this, node, frame.length);
                }
            }
        }
    }

    private synchronized void afterHandshake() {
        if (stage != Stage.HANDSHAKE_DONE) {
            return;
        }
        try {
            WaVersion version = WaVersion.of(payload);
            if (version.isOlderThan(config.minVersion())) {
                // <failure reason="405"/>: client outdated (whatsmeow types/events/events.go ConnectFailureClientOutdated @33cfac5)
                sim.event(this, "version-refused", version + " is older than the minimum " + config.minVersion());
                streamErrorAndClose(Nodes.node("failure", "reason", "405", "location", "sim"));
                return;
            }
            if (payload.hasUsername() && payload.getUsername() != 0) {
                login();
            } else {
                startRegistration();
            }
        } catch (RuntimeException e) {
            log.warn("connection {}: closing after bad client payload: {}", id, e.toString());
            sim.event(this, "protocol-error", e.getMessage());
            closeQuietly(CloseFrame.PROTOCOL_ERROR, "protocol error");
        }
    }

    private void onNode(Node node) {
        switch (node.tag()) {
            case "iq" -> onIq(node);
            case "ack" -> onAck(node);
            case "receipt" -> DeliveryReceipt.deliveredMessageIds(node).forEach(this::messageDelivered);
            default -> {
                // presence, chatstate...: recorded, nothing to answer
            }
        }
    }

    private void onIq(Node node) {
        String type = node.attrOr("type", "");
        if ("result".equals(type) || "error".equals(type)) {
            if (pendingPair != null && pendingPair.iqId.equals(node.attr("id"))) {
                onPairDeviceSign(node);
            }
            return; // answers to pair-device and to our pings need nothing more
        }
        String xmlns = node.attrOr("xmlns", "");
        Node child = Nodes.firstChild(node);
        String childTag = child == null ? "" : child.tag();
        switch (xmlns + " " + type + " " + childTag) {
            // keepalive: Baileys Socket/socket.js startKeepAliveRequest, whatsmeow keepalive.go
            case "w:p get ping", "urn:xmpp:ping get ping", "urn:xmpp:ping get " -> send(Nodes.result(node));
            case "encrypt get count" -> send(Nodes.result(node,
                    Nodes.node("count", "value", Integer.toString(sim.preKeyCount(deviceJid)))));
            case "encrypt set registration", "encrypt set list", "encrypt set identity", "encrypt set type" -> {
                onPreKeyUpload(node);
            }
            case "encrypt get digest" -> onDigest(node);
            case "passive set active", "passive set passive" -> send(Nodes.result(node));
            case "md set link_code_companion_reg" -> onLinkCode(node, child);
            case "md set remove-companion-device" -> {
                send(Nodes.result(node));
                if (deviceJid != null) {
                    sim.forgetDevice(deviceJid, "client logged out");
                }
            }
            default -> send(accountQueries.answer(node, deviceJid)
                    .orElseGet(() -> Nodes.error(node, 501, "feature-not-implemented")));
        }
    }

    private void onAck(Node node) {
        if (deviceJid == null) {
            return;
        }
        sim.acks().acked(deviceJid, node.attr("class"), node.attr("id"));
        if ("message".equals(node.attr("class"))) {
            messageDelivered(node.attrOr("id", ""));
        }
    }

    /** The device has the message (its ack, or a delivery receipt naming it): settled, not replayed again. */
    private void messageDelivered(String msgId) {
        if (deviceJid == null) {
            return;
        }
        sim.messageAcked(deviceJid, msgId);
        sim.acks().acked(deviceJid, "message", msgId);
        if (backlogAwaitingAck.remove(msgId) && backlogAwaitingAck.isEmpty() && !offlineSent) {
            sendOffline();
        }
    }

    // ---------------------------------------------------------------- pairing (QR)

    private void startRegistration() {
        if (!payload.hasDevicePairingData()) {
            throw new ProtocolException("registration payload lacks devicePairingData");
        }
        // checked here, at the edge: a scan compares the QR's identity key with this one
        try {
            Curve25519.fromSignalPublicKey(payload.getDevicePairingData().getEIdent().toByteArray());
        } catch (ProtocolException e) {
            throw new ProtocolException("registration identity key: " + e.getMessage(), e);
        }
        stage = Stage.PAIRING;
        refs = sim.newRefs(this, config.qrRefCount());
        refsIssuedAt = Instant.now();
        List<Node> refNodes = new ArrayList<>();
        for (String ref : refs) {
            refNodes.add(Nodes.bytes("ref", ref.getBytes(StandardCharsets.UTF_8)));
        }
        // <iq from="s.whatsapp.net" type="set" id xmlns="md"><pair-device><ref/>..</pair-device></iq>
        // (Baileys Socket/socket.js 'CB:iq,type:set,pair-device'; whatsmeow pair.go handlePairDevice)
        send(Node.withChildren("iq", Nodes.attrs("from", Nodes.SERVER, "type", "set", "id", nextId(), "xmlns", "md"),
                List.of(Node.withChildren("pair-device", Nodes.attrs(), refNodes))));
        Duration refsTotal = config.firstRefTimeout().plus(config.nextRefTimeout().multipliedBy(refs.size() - 1))
                .plus(config.refGrace());
        refsExpiry = sim.scheduler().schedule(this::refsExhausted, refsTotal.toMillis(), TimeUnit.MILLISECONDS);
        sim.event(this, "pairing", refs.size() + " refs issued");
    }

    /**
     * The last ref expired: no scan is accepted any more (Baileys ends on its own here with 408 "QR refs
     * attempts ended"; whatsmeow's QR channel emits "timeout"). The connection itself lives on until
     * {@link SimulatorConfig#unpairedLifetime()}, so a pairing-code link in progress can still finish.
     */
    private synchronized void refsExhausted() {
        if (stage == Stage.PAIRING) {
            sim.event(this, "refs-exhausted", "all QR refs expired");
        }
    }

    /**
     * Starts the clock of {@link SimulatorConfig#unpairedLifetime()} when the socket opens, so a connection that
     * stalls anywhere before login (handshake, pairing, an unanswered pair-success) does not hold a slot forever.
     */
    synchronized void startLifetime() {
        unpairedExpiry = sim.scheduler().schedule(this::unpairedLifetimeOver, config.unpairedLifetime().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * A connection not logged in by now is ended: with {@code <xmlstreamend/>} (Baileys 'CB:xmlstreamend': 428)
     * once the handshake gave it a transport, else with a plain close.
     */
    private synchronized void unpairedLifetimeOver() {
        if (stage == Stage.LOGGED_IN || stage == Stage.CLOSED) {
            return;
        }
        sim.event(this, "unpaired-timeout", "not linked within " + config.unpairedLifetime() + " (" + stage + ")");
        if (transport != null) {
            send(Node.of("xmlstreamend"));
        }
        closeQuietly(CloseFrame.NORMAL, "not linked in time");
    }

    /** Window in which ref {@code index} is on the companion's screen (first 60 s, then 20 s each). */
    private boolean refValidNow(int index) {
        Instant start = refsIssuedAt;
        if (index > 0) {
            start = start.plus(config.firstRefTimeout()).plus(config.nextRefTimeout().multipliedBy(index - 1));
        }
        Instant end = start.plus(index == 0 ? config.firstRefTimeout() : config.nextRefTimeout());
        Instant now = Instant.now();
        return !now.isBefore(start.minus(config.refGrace())) && !now.isAfter(end.plus(config.refGrace()));
    }

    synchronized CompletableFuture<LinkedDevice> acceptScan(Phone phone, QrCode qr) {
        if (stage != Stage.PAIRING) {
            throw SimulatorException.conflict("the connection showing this QR is not waiting for a scan any more");
        }
        int index = refs.indexOf(qr.ref());
        if (index < 0) {
            throw SimulatorException.notFound("unknown QR ref");
        }
        if (!refValidNow(index)) {
            throw new SimulatorException(410, "QR ref " + (index + 1) + " of " + refs.size() + " is not valid now (expired or not shown yet)");
        }
        if (!Arrays.equals(qr.noisePublicKey(), clientStaticKey)) {
            throw SimulatorException.badRequest("QR noise key does not match the connection that received the ref");
        }
        byte[] registeredIdentity = payload.getDevicePairingData().getEIdent().toByteArray();
        if (!Arrays.equals(Curve25519.fromSignalPublicKey(registeredIdentity), qr.identityPublicKey())) {
            throw SimulatorException.badRequest("QR identity key does not match the registration payload");
        }
        return sendPairSuccess(phone, qr.identityPublicKey(), qr.advSecret(), "qr");
    }

    // ---------------------------------------------------------------- pairing (code)

    private void onLinkCode(Node iq, Node reg) {
        String stageAttr = reg.attrOr("stage", "");
        if (stage != Stage.PAIRING && stage != Stage.PAIR_SENT) {
            send(Nodes.error(iq, 400, "bad-request"));
            return;
        }
        switch (stageAttr) {
            case "companion_hello" -> onCompanionHello(iq, reg);
            case "companion_finish" -> onCompanionFinish(iq, reg);
            default -> send(Nodes.error(iq, 400, "bad-request"));
        }
    }

    /**
     * {@code <link_code_companion_reg jid stage="companion_hello">} with
     * {@code link_code_pairing_wrapped_companion_ephemeral_pub} (salt32 || iv16 || AES-CTR(pub)),
     * {@code companion_server_auth_key_pub}, {@code companion_platform_id}, {@code companion_platform_display},
     * {@code link_code_pairing_nonce} (Baileys Socket/socket.js requestPairingCode). The answer carries the
     * pairing ref: {@code <link_code_companion_reg><link_code_pairing_ref>} (whatsmeow pair-code.go PairPhone).
     */
    private void onCompanionHello(Node iq, Node reg) {
        String jid = reg.attrOr("jid", "");
        String number = jid.contains("@") ? jid.substring(0, jid.indexOf('@')) : jid;
        if (number.contains(":")) {
            number = number.substring(0, number.indexOf(':'));
        }
        Node wrapped = reg.child("link_code_pairing_wrapped_companion_ephemeral_pub");
        Node authKey = reg.child("companion_server_auth_key_pub");
        if (wrapped == null || wrapped.contentBytes() == null || wrapped.contentBytes().length != 80
                || !number.matches("\\d{7,15}")) {
            send(Nodes.error(iq, 400, "bad-request"));
            return;
        }
        if (authKey != null && authKey.contentBytes() != null && !Arrays.equals(authKey.contentBytes(), clientStaticKey)) {
            send(Nodes.error(iq, 400, "bad-request"));
            return;
        }
        // the server checks the platform it is told about (whatsmeow PairPhone doc: 400 when the display is
        // not "<Browser> (<OS>)" with a common browser and OS; see CompanionPlatform for the sources)
        Node platformId = reg.child("companion_platform_id");
        String platformProblem = platformId == null || !CompanionPlatform.isKnownClientTypeId(platformId.contentString())
                ? "unknown companion_platform_id " + (platformId == null ? "(none)" : "\"" + platformId.contentString() + "\"")
                : CompanionPlatform.problemWithDisplay(reg.child("companion_platform_display") == null ? null
                        : reg.child("companion_platform_display").contentString()).orElse(null);
        if (platformProblem != null) {
            sim.event(this, "link-code-refused", platformProblem);
            send(Nodes.error(iq, 400, "bad-request"));
            return;
        }
        int scripted = sim.takeCompanionHelloError();
        if (scripted != 0) {
            sim.event(this, "link-code-refused", "scripted error " + scripted);
            send(Nodes.error(iq, scripted, scripted == 400 ? "bad-request" : "error"));
            return;
        }
        if (pendingCode != null && pendingCode.future != null) {
            // a phone is part-way through entering the old code; it would otherwise wait out the pairing timeout
            pendingCode.future.completeExceptionally(
                    SimulatorException.conflict("the companion asked for a new pairing code"));
        }
        String ref = sim.newLinkCodeRef();
        Node display = reg.child("companion_platform_display");
        pendingCode = new PendingCode(ref, number, wrapped.contentBytes(),
                display == null ? "" : display.contentString());
        sim.linkCodeRequested(number, this);
        send(Nodes.result(iq, Nodes.parent("link_code_companion_reg", Nodes.attrs(),
                Nodes.bytes("link_code_pairing_ref", ref.getBytes(StandardCharsets.UTF_8)))));
        sim.event(this, "link-code-requested", number + " (" + pendingCode.platformDisplay + ")");
    }

    synchronized boolean waitingForCode(String number) {
        return stage == Stage.PAIRING && pendingCode != null && pendingCode.number.equals(number)
                && pendingCode.future == null;
    }

    /**
     * The phone side after its user typed the code: unwrap the companion's ephemeral key with
     * PBKDF2-SHA256(code, salt, 131072) + AES-CTR, wrap a fresh primary ephemeral key the same way and send
     * {@code <notification type="link_code_companion_reg">} (Baileys Socket/messages-recv.js
     * 'link_code_companion_reg' case reads exactly these three children).
     */
    synchronized CompletableFuture<LinkedDevice> enterCode(Phone phone, String code) {
        if (!waitingForCode(phone.number())) {
            throw SimulatorException.conflict("no companion is waiting for a pairing code for " + phone.number());
        }
        byte[] wrapped = pendingCode.wrappedCompanionEphemeral;
        byte[] key = Pbkdf2.pairingCodeKey(code, Arrays.copyOfRange(wrapped, 0, 32));
        byte[] companionEphemeral = Aes.ctr(key, Arrays.copyOfRange(wrapped, 32, 48), Arrays.copyOfRange(wrapped, 48, 80));
        KeyPair primaryEphemeral = KeyPair.generate();
        byte[] salt = random(32);
        byte[] iv = random(16);
        byte[] wrappedPrimary = concat(salt, iv,
                Aes.ctr(Pbkdf2.pairingCodeKey(code, salt), iv, primaryEphemeral.publicKey()));
        pendingCode.phone = phone;
        pendingCode.companionEphemeral = companionEphemeral;
        pendingCode.primaryEphemeral = primaryEphemeral;
        pendingCode.future = new CompletableFuture<>();
        send(Node.withChildren("notification",
                Nodes.attrs("from", Nodes.SERVER, "type", "link_code_companion_reg", "id", nextId(),
                        "t", Long.toString(Instant.now().getEpochSecond())),
                List.of(Nodes.parent("link_code_companion_reg", Nodes.attrs(),
                        Nodes.bytes("link_code_pairing_ref", pendingCode.ref.getBytes(StandardCharsets.UTF_8)),
                        Nodes.bytes("primary_identity_pub", phone.accountPublicKey()),
                        Nodes.bytes("link_code_pairing_wrapped_primary_ephemeral_pub", wrappedPrimary)))));
        return pendingCode.future;
    }

    /**
     * {@code companion_finish}: {@code link_code_pairing_wrapped_key_bundle} = salt32 || iv12 ||
     * AES-GCM(HKDF(DH(ephemerals), salt, "link_code_pairing_key_bundle_encryption_key"),
     * companionIdentity || primaryIdentity || random32), {@code companion_identity_public},
     * {@code link_code_pairing_ref}. adv secret = HKDF(DH(ephemerals) || DH(identities) || random,
     * info "adv_secret") (Baileys Socket/messages-recv.js ~line 365-400; whatsmeow pair-code.go).
     */
    private void onCompanionFinish(Node iq, Node reg) {
        PendingCode pc = pendingCode;
        Node refNode = reg.child("link_code_pairing_ref");
        Node bundleNode = reg.child("link_code_pairing_wrapped_key_bundle");
        Node identityNode = reg.child("companion_identity_public");
        if (pc == null || pc.future == null || refNode == null || bundleNode == null || identityNode == null
                || !pc.ref.equals(refNode.contentString())) {
            send(Nodes.error(iq, 400, "bad-request"));
            return;
        }
        byte[] bundle = bundleNode.contentBytes();
        byte[] companionIdentity = identityNode.contentBytes();
        byte[] plain;
        byte[] shared = Curve25519.sharedSecret(pc.primaryEphemeral.privateKey(), pc.companionEphemeral);
        try {
            if (bundle.length < 32 + 12 + 16) {
                throw new ProtocolException("key bundle too short");
            }
            byte[] bundleKey = Hkdf.derive(shared, Arrays.copyOfRange(bundle, 0, 32), BUNDLE_INFO, 32);
            plain = Aes.gcmDecrypt(bundleKey, Arrays.copyOfRange(bundle, 32, 44),
                    Arrays.copyOfRange(bundle, 44, bundle.length), new byte[0]);
        } catch (RuntimeException e) {
            send(Nodes.error(iq, 400, "bad-request"));
            pendingCode = null;
            pc.future.completeExceptionally(SimulatorException.badRequest(
                    "the companion's key bundle does not decrypt: the pairing code was wrong"));
            sim.event(this, "link-code-failed", "wrong code");
            return;
        }
        byte[] accountPub = pc.phone.accountPublicKey();
        if (plain.length != 96 || !Arrays.equals(Arrays.copyOfRange(plain, 0, 32), companionIdentity)
                || !Arrays.equals(Arrays.copyOfRange(plain, 32, 64), accountPub)) {
            send(Nodes.error(iq, 400, "bad-request"));
            pendingCode = null;
            pc.future.completeExceptionally(SimulatorException.badRequest("the companion's key bundle names other keys"));
            return;
        }
        byte[] random = Arrays.copyOfRange(plain, 64, 96);
        byte[] identityShared = Curve25519.sharedSecret(pc.phone.accountKey().privateKey(), companionIdentity);
        byte[] advSecret = Hkdf.derive(concat(shared, identityShared, random), new byte[0], ADV_SECRET_INFO, 32);
        send(Nodes.result(iq));
        pendingCode = null;
        CompletableFuture<LinkedDevice> linked = sendPairSuccess(pc.phone, companionIdentity, advSecret, "code");
        linked.whenComplete((d, e) -> {
            if (e != null) {
                pc.future.completeExceptionally(e);
            } else {
                pc.future.complete(d);
            }
        });
    }

    // ---------------------------------------------------------------- pair-success

    /**
     * {@code <iq from type="set" id xmlns="md"><pair-success><device-identity>ADVSignedDeviceIdentityHMAC
     * </device-identity><platform name/><device jid lid/>[<biz name/>]</pair-success></iq>}. The identity:
     * details = ADVDeviceIdentity; accountSignature = XEdDSA(account key, 06 00 || details ||
     * companionIdentity); HMAC-SHA256(advSecret) over the serialized ADVSignedDeviceIdentity. A hosted
     * business phone marks the HMAC container and the details HOSTED, and both the HMAC input and the
     * account signature then start with 06 05 (whatsmeow 33cfac5 pair.go handlePair / verifyAccountSignature;
     * Baileys 7 Utils/validate-connection.js configureSuccessfulPairing agrees).
     */
    private CompletableFuture<LinkedDevice> sendPairSuccess(Phone phone, byte[] companionIdentity, byte[] advSecret,
            String method) {
        WaSimulator.DeviceSlot slot = sim.allocateDevice(phone);
        boolean hosted = phone.profile().hostedBusiness();
        ADVEncryptionType type = hosted ? ADVEncryptionType.HOSTED : ADVEncryptionType.E2EE;
        byte[] details = ADVDeviceIdentity.newBuilder()
                .setRawId(RANDOM.nextInt() & 0x7fffffff)
                .setTimestamp(Instant.now().getEpochSecond())
                .setKeyIndex(slot.keyIndex())
                .setAccountType(type)
                .setDeviceType(type)
                .build().toByteArray();
        byte[] prefix = hosted ? new byte[] {6, 5} : new byte[] {6, 0};
        byte[] accountSignature = XEdDSA.sign(phone.accountKey().privateKey(), concat(prefix, details, companionIdentity));
        byte[] signed = ADVSignedDeviceIdentity.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setAccountSignatureKey(ByteString.copyFrom(phone.accountPublicKey()))
                .setAccountSignature(ByteString.copyFrom(accountSignature))
                .build().toByteArray();
        ADVSignedDeviceIdentityHMAC.Builder container = ADVSignedDeviceIdentityHMAC.newBuilder()
                .setDetails(ByteString.copyFrom(signed))
                .setHmac(ByteString.copyFrom(hosted ? Hmac.sha256(advSecret, new byte[] {6, 5}, signed)
                        : Hmac.sha256(advSecret, signed)));
        if (hosted) {
            container.setAccountType(ADVEncryptionType.HOSTED);
        }
        byte[] hmacIdentity = container.build().toByteArray();
        String iqId = nextId();
        pendingPair = new PendingPair(iqId, phone, slot, companionIdentity, details, accountSignature, method,
                new CompletableFuture<>());
        stage = Stage.PAIR_SENT;
        send(Node.withChildren("iq", Nodes.attrs("from", Nodes.SERVER, "type", "set", "id", iqId, "xmlns", "md"),
                List.of(pairSuccessNode(hmacIdentity, slot, hosted ? phone.number() + " Business" : null))));
        sim.event(this, "pair-success-sent", slot.jid());
        return pendingPair.future;
    }

    private static Node pairSuccessNode(byte[] hmacIdentity, WaSimulator.DeviceSlot slot, String businessName) {
        List<Node> children = new ArrayList<>(List.of(
                Nodes.bytes("device-identity", hmacIdentity),
                Nodes.node("platform", "name", "android"),
                Nodes.node("device", "jid", slot.jid(), "lid", slot.lid())));
        if (businessName != null) {
            children.add(Nodes.node("biz", "name", businessName));
        }
        return Node.withChildren("pair-success", Nodes.attrs(), children);
    }

    /**
     * {@code <iq type="result" id><pair-device-sign><device-identity key-index>ADVSignedDeviceIdentity without
     * accountSignatureKey</device-identity></pair-device-sign></iq>}; deviceSignature must verify with the
     * companion identity over 06 01 || details || companionIdentity || accountSignatureKey.
     */
    private void onPairDeviceSign(Node node) {
        PendingPair pp = pendingPair;
        pendingPair = null;
        String problem = null;
        ADVSignedDeviceIdentity reply = null;
        Node sign = node.child("pair-device-sign");
        Node identity = sign == null ? null : sign.child("device-identity");
        if ("error".equals(node.attr("type"))) {
            // whatsmeow pair.go sendPairError: <iq type="error"><error code="401" text="not-authorized"/></iq>
            Node err = node.child("error");
            problem = "companion rejected pair-success"
                    + (err == null ? "" : ": " + err.attrOr("code", "?") + " " + err.attrOr("text", ""));
        } else if (identity == null || identity.contentBytes() == null) {
            problem = "companion did not answer pair-success with pair-device-sign";
        } else {
            try {
                reply = ADVSignedDeviceIdentity.parseFrom(identity.contentBytes());
            } catch (InvalidProtocolBufferException e) {
                problem = "pair-device-sign identity does not parse";
            }
        }
        if (problem == null) {
            byte[] message = concat(new byte[] {6, 1}, pp.details, pp.companionIdentity, pp.phone.accountPublicKey());
            if (!Arrays.equals(reply.getDetails().toByteArray(), pp.details)) {
                problem = "pair-device-sign carries other details";
            } else if (!Arrays.equals(reply.getAccountSignature().toByteArray(), pp.accountSignature)) {
                problem = "pair-device-sign carries another account signature";
            } else if (!deviceSignatureVerifies(pp.companionIdentity, message, reply.getDeviceSignature().toByteArray())) {
                problem = "device signature does not verify";
            } else if (!Integer.toString(pp.slot.keyIndex()).equals(identity.attr("key-index"))) {
                problem = "key-index does not match";
            }
        }
        if (problem != null) {
            sim.event(this, "pairing-failed", problem);
            pp.future.completeExceptionally(new SimulatorException(502, problem));
            streamErrorAndClose(Nodes.node("stream:error", "code", "401"));
            return;
        }
        ClientPayload.DevicePairingRegistrationData reg = payload.getDevicePairingData();
        LinkedDevice device = new LinkedDevice(pp.slot.jid(), pp.slot.lid(), pp.phone.id(), pp.slot.deviceId(),
                clientStaticKey, pp.companionIdentity, (int) bigEndian(reg.getERegid().toByteArray()),
                (int) bigEndian(reg.getESkeyId().toByteArray()), reg.getESkeyVal().toByteArray(),
                reg.getESkeySig().toByteArray(), pp.slot.keyIndex(), "android", pp.method, Instant.now());
        sim.linkDevice(device, this);
        pp.future.complete(device);
        // the real server restarts the stream so the companion logs in with its new identity
        streamErrorAndClose(Nodes.node("stream:error", "code", "515"));
    }

    /** A missing or wrong-length signature (or identity key) is a failed check, not a broken connection. */
    private static boolean deviceSignatureVerifies(byte[] identityKey, byte[] message, byte[] signature) {
        try {
            return XEdDSA.verify(identityKey, message, signature);
        } catch (ProtocolException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- login

    private void login() {
        String jid = WaSimulator.deviceJid(Long.toString(payload.getUsername()), payload.getDevice());
        LinkedDevice device = sim.device(jid);
        if (device == null || !Arrays.equals(device.noisePublicKey(), clientStaticKey)) {
            sim.event(this, "login-rejected", jid);
            // <failure reason="401"/>: Baileys 'CB:failure' -> Boom(statusCode 401) = loggedOut
            streamErrorAndClose(Nodes.node("failure", "reason", "401", "location", "sim"));
            return;
        }
        Node failure = sim.loginFailure(jid);
        if (failure != null) {
            sim.event(this, jid, "login-rejected", "failure " + failure.attr("reason"));
            streamErrorAndClose(failure);
            return;
        }
        deviceJid = jid;
        stage = Stage.LOGGED_IN;
        sim.attach(jid, this);
        // <success t lid .../>: Baileys reads attrs.lid (Socket/socket.js 'CB:success'); whatsmeow
        // connectionevents.go handleConnectSuccess reads lid as a JID.
        send(Nodes.node("success", "t", Long.toString(Instant.now().getEpochSecond()), "props", "1",
                "abprops", "1", "location", "sim", "lid", device.lid(),
                "creation", Long.toString(device.linkedAt().getEpochSecond())));
        AckTracker.Replay replay = sim.acks().replayFor(jid, config.maxAckReplays());
        if (replay.overdue().isPresent()) {
            // a stanza redelivered at every login and never acked: the server ends the stream over it
            Node owed = replay.overdue().get();
            sim.event(this, "force-closed", "no ack for " + owed.tag() + " " + owed.attr("id") + " after "
                    + config.maxAckReplays() + " replays");
            streamErrorAndClose(Nodes.parent("stream:error", Nodes.attrs(),
                    Nodes.node("ack", "class", owed.tag(), "id", owed.attr("id"))));
            return;
        }
        // what this device still owes an ack for comes first, then queued messages it never received
        List<Node> backlog = new ArrayList<>(replay.stanzas());
        Set<String> replayed = new java.util.HashSet<>();
        replay.stanzas().forEach(n -> replayed.add(n.tag() + "/" + n.attr("id")));
        for (Node message : sim.backlog(jid)) {
            if (replayed.add(message.tag() + "/" + message.attr("id"))) {
                backlog.add(message);
            }
        }
        for (Node stanza : backlog) {
            if ("message".equals(stanza.tag())) {
                backlogAwaitingAck.add(stanza.attr("id"));
            }
            send(stanza);
        }
        if (!replay.stanzas().isEmpty()) {
            sim.event(this, "replayed", replay.stanzas().size() + " unacked stanzas");
        }
        backlogCount = backlogAwaitingAck.size();
        if (backlogAwaitingAck.isEmpty()) {
            sendOffline();
        } else {
            offlineTimer = sim.scheduler().schedule(this::offlineTimeout, config.offlineFlushTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        startPings();
        sim.event(this, "logged-in", jid);
    }

    private synchronized void offlineTimeout() {
        if (stage == Stage.LOGGED_IN && !offlineSent) {
            sendOffline();
        }
    }

    /**
     * {@code <ib from="s.whatsapp.net"><offline count=N/></ib>} after the backlog: Baileys flushes the events
     * it buffered since login when it sees this ('CB:ib,,offline'), so the backlog is sent first and this
     * only once every backlog message was acked (or the flush timeout passed).
     */
    private void sendOffline() {
        offlineSent = true;
        if (offlineTimer != null) {
            offlineTimer.cancel(false);
        }
        send(Nodes.parent("ib", Nodes.attrs("from", Nodes.SERVER),
                Nodes.node("offline", "count", Integer.toString(backlogCount))));
    }

    /** Delivers a message now if logged in; false if not connected. */
    synchronized boolean deliver(Node message) {
        if (stage != Stage.LOGGED_IN) {
            return false;
        }
        if (backlogAwaitingAck.contains(message.attr("id"))) {
            return true; // already sent with the login backlog
        }
        send(message);
        return true;
    }

    /**
     * One timer per connection serves both pings and the idle check; it ticks at the ping interval or a quarter
     * of the idle timeout, whichever is shorter, so an idle client is noticed within 1.25 x idleTimeout.
     */
    private void startPings() {
        long interval = config.serverPingInterval().toMillis();
        long idle = config.idleTimeout().toMillis();
        long idleCheck = idle > 0 ? Math.max(idle / 4, 10) : Long.MAX_VALUE;
        long period = Math.min(interval > 0 ? interval : Long.MAX_VALUE, idleCheck);
        if (period != Long.MAX_VALUE) {
            pingTickMillis = period;
            lastPingNanos = System.nanoTime();
            pingTask = sim.scheduler().scheduleAtFixedRate(this::pingTick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void pingTick() {
        if (stage != Stage.LOGGED_IN) {
            return;
        }
        long now = System.nanoTime();
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(now - lastInboundNanos);
        if (!config.idleTimeout().isZero() && idleMillis > config.idleTimeout().toMillis()) {
            sim.event(this, "unresponsive", deviceJid + " sent nothing for " + idleMillis + " ms");
            drop();
            return;
        }
        if (silenced) {
            return; // the idle check above still ends a connection whose client went quiet too; no pings
        }
        // half a tick of slack: a tick that runs a little late must not push the next ping a whole tick back
        long dueMillis = config.serverPingInterval().toMillis() - pingTickMillis / 2;
        if (!config.serverPingInterval().isZero() && TimeUnit.NANOSECONDS.toMillis(now - lastPingNanos) >= dueMillis) {
            lastPingNanos = now;
            // whatsmeow connectionevents.go answers <iq type="get" xmlns="urn:xmpp:ping" from="s.whatsapp.net">
            // with a result; Baileys 6.17.16 ignores it, which is why liveness counts any inbound frame.
            send(Nodes.node("iq", "id", nextId(), "xmlns", "urn:xmpp:ping", "type", "get", "from", Nodes.SERVER));
        }
    }

    // ---------------------------------------------------------------- commands

    /**
     * From now on the connection stays open but the server neither answers nor sends anything on it (no
     * pings, no iq results, no messages, no offline marker), as a frozen server would. Inbound nodes are still
     * read and recorded. The idle rule still applies, so the connection ends when the client closes it or
     * sends nothing for {@link SimulatorConfig#idleTimeout()}; a client that keeps sending its keepalive pings
     * is never closed by the simulator. Commands that close the connection (drop, replace, stream errors,
     * a newer login of the same device) still close it, without sending their node.
     */
    synchronized void silence() {
        if (stage != Stage.LOGGED_IN) {
            throw SimulatorException.conflict("connection " + id + " is not logged in");
        }
        silenced = true;
        cancel(offlineTimer);
    }

    boolean silenced() {
        return silenced;
    }

    /**
     * {@code <notification from="s.whatsapp.net" type="encrypt" id t><count value=N/></notification>}: the
     * server runs low on the device's one-time prekeys. Shape from Baileys 6.17.16 Socket/messages-recv.js
     * handleEncryptNotification (from == S_WHATSAPP_NET, child count, attrs.value) and whatsmeow
     * notification.go handleEncryptNotification (from == ServerJID, count value); both upload a new batch
     * when value < MIN_PREKEY_COUNT (5) and ack the notification.
     *
     * @return the notification id
     */
    synchronized String notifyPreKeyLow(int count) {
        if (stage != Stage.LOGGED_IN) {
            throw SimulatorException.conflict("connection " + id + " is not logged in");
        }
        String notificationId = nextId();
        send(Nodes.parent("notification", Nodes.attrs("from", Nodes.SERVER, "type", "encrypt", "id", notificationId,
                "t", Long.toString(Instant.now().getEpochSecond())), Nodes.node("count", "value", Integer.toString(count))));
        return notificationId;
    }

    /**
     * Sends a stream error (or failure) and ends the stream: from now on input is read and dropped, and the
     * WebSocket is closed after {@link #STREAM_END_GRACE} unless the client closed it first (Baileys 7 ends its
     * socket on any stream error, Socket/socket.js 'CB:stream:error'; whatsmeow connectionevents.go
     * handleStreamError disconnects itself on 515 and waits for the server's close after replaced and
     * device_removed). Closing at once made Baileys 7 report 428 instead of 515 now and then: it sends an ack
     * and a unified_session ib right after pair-device-sign, data reaching a closed socket draws a TCP reset,
     * and Node handles the reset before the stream error it already received.
     */
    synchronized void streamErrorAndClose(Node error) {
        if (stage == Stage.CLOSED) {
            return;
        }
        send(error);
        stage = Stage.CLOSED;
        Runnable close = () -> {
            try {
                ws.close(CloseFrame.NORMAL, "stream error");
            } catch (RuntimeException ignored) {
                // already closed by the client
            }
        };
        try {
            sim.scheduler().schedule(close, STREAM_END_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException simulatorClosing) {
            close.run();
        }
    }

    synchronized void drop() {
        if (stage == Stage.CLOSED) {
            return;
        }
        stage = Stage.CLOSED;
        ws.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by the simulator");
    }

    synchronized void onClosed() {
        stage = Stage.CLOSED;
        cancel(refsExpiry);
        cancel(unpairedExpiry);
        cancel(offlineTimer);
        cancel(pingTask);
        if (pendingPair != null) {
            pendingPair.future.completeExceptionally(SimulatorException.conflict("the companion disconnected during pairing"));
            pendingPair = null;
        }
        if (pendingCode != null && pendingCode.future != null) {
            pendingCode.future.completeExceptionally(SimulatorException.conflict("the companion disconnected during pairing"));
        }
        pendingCode = null;
    }

    // ---------------------------------------------------------------- helpers

    private void send(Node node) {
        if (stage == Stage.CLOSED || silenced || !ws.isOpen()) {
            return;
        }
        try {
            ws.send(encoder.encode(transport.encrypt(BinaryFrames.encodeFrame(node, dictionary))));
            if (stage == Stage.LOGGED_IN && deviceJid != null) {
                sim.acks().sent(deviceJid, node);
            }
        } catch (RuntimeException e) {
            log.debug("connection {}: send failed: {}", id, e.toString());
        }
    }

    synchronized void sendRaw(byte[] nodeBytes) {
        if (stage != Stage.LOGGED_IN) {
            throw SimulatorException.conflict("connection " + id + " is not logged in");
        }
        byte[] frame = new byte[nodeBytes.length + 1];
        System.arraycopy(nodeBytes, 0, frame, 1, nodeBytes.length);
        ws.send(encoder.encode(transport.encrypt(frame)));
    }

    private void closeQuietly(int code, String reason) {
        if (stage == Stage.CLOSED) {
            return;
        }
        stage = Stage.CLOSED;
        try {
            ws.close(code, reason);
        } catch (RuntimeException ignored) {
            // already closing
        }
    }

    private String nextId() {
        return "sim-" + id + "-" + (++tag);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static long bigEndian(byte[] b) {
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    // ---------------------------------------------------------------- prekeys

    /**
     * {@code <iq xmlns="encrypt" type="set"><registration/><type/><identity/><list><key><id/><value/></key>..
     * </list><skey>..</skey></iq>} (Baileys Utils/signal.js getNextPreKeysNode).
     */
    private void onPreKeyUpload(Node iq) {
        Node list = iq.child("list");
        List<UploadedPreKey> keys = new ArrayList<>();
        if (list != null && list.contentKind() == Node.ContentKind.CHILDREN) {
            for (Node key : list.children("key")) {
                Node idNode = key.child("id");
                Node value = key.child("value");
                if (idNode == null || value == null || idNode.contentBytes() == null || value.contentBytes() == null) {
                    send(Nodes.error(iq, 400, "bad-request"));
                    return;
                }
                keys.add(new UploadedPreKey((int) bigEndian(idNode.contentBytes()), value.contentBytes()));
            }
        }
        if (deviceJid == null) {
            send(Nodes.error(iq, 401, "not-authorized"));
            return;
        }
        Node skey = iq.child("skey");
        if (skey != null && skey.child("id") != null && skey.child("value") != null && skey.child("signature") != null) {
            // whatsmeow prekeys.go uploadPreKeys sends the signed prekey along (<skey><id/><value/><signature/>)
            byte[] skeyId = skey.child("id").contentBytes();
            byte[] skeyValue = skey.child("value").contentBytes();
            byte[] skeySignature = skey.child("signature").contentBytes();
            if (skeyId == null || skeyValue == null || skeySignature == null) {
                send(Nodes.error(iq, 400, "bad-request"));
                return;
            }
            sim.updateSignedPreKey(deviceJid, (int) bigEndian(skeyId), skeyValue, skeySignature);
        }
        sim.storePreKeys(deviceJid, keys);
        send(Nodes.result(iq));
    }

    /**
     * {@code <digest>}: the server's view of the device's key bundle. [I] Shape after whatsmeow prekeys.go
     * (registration, type, identity, skey{id,value,signature}, list of ids, hash = SHA-1 of identity, signed
     * prekey value, signature and every prekey value).
     */
    private void onDigest(Node iq) {
        LinkedDevice d = deviceJid == null ? null : sim.device(deviceJid);
        if (d == null) {
            send(Nodes.error(iq, 404, "item-not-found"));
            return;
        }
        List<UploadedPreKey> keys = sim.preKeys(deviceJid);
        List<Node> ids = new ArrayList<>();
        java.io.ByteArrayOutputStream hashInput = new java.io.ByteArrayOutputStream();
        hashInput.writeBytes(d.identityPublicKey());
        hashInput.writeBytes(d.signedPreKeyPublic());
        hashInput.writeBytes(d.signedPreKeySignature());
        for (UploadedPreKey k : keys) {
            ids.add(Nodes.bytes("id", threeBytes(k.id())));
            hashInput.writeBytes(k.publicKey());
        }
        byte[] hash;
        try {
            hash = java.security.MessageDigest.getInstance("SHA-1").digest(hashInput.toByteArray());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        send(Nodes.result(iq, Nodes.parent("digest", Nodes.attrs(),
                Nodes.bytes("registration", ByteBuffer.allocate(4).putInt(d.registrationId()).array()),
                Nodes.bytes("type", new byte[] {5}),
                Nodes.bytes("identity", d.identityPublicKey()),
                Nodes.parent("skey", Nodes.attrs(),
                        Nodes.bytes("id", threeBytes(d.signedPreKeyId())),
                        Nodes.bytes("value", d.signedPreKeyPublic()),
                        Nodes.bytes("signature", d.signedPreKeySignature())),
                Node.withChildren("list", Nodes.attrs(), ids),
                Nodes.bytes("hash", hash))));
    }

    private static byte[] threeBytes(int v) {
        return new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    // ---------------------------------------------------------------- state holders

    private static final class PendingCode {
        final String ref;
        final String number;
        final byte[] wrappedCompanionEphemeral;
        final String platformDisplay;
        Phone phone;
        byte[] companionEphemeral;
        KeyPair primaryEphemeral;
        CompletableFuture<LinkedDevice> future;

        PendingCode(String ref, String number, byte[] wrapped, String platformDisplay) {
            this.ref = ref;
            this.number = number;
            this.wrappedCompanionEphemeral = wrapped;
            this.platformDisplay = platformDisplay;
        }
    }

    private record PendingPair(String iqId, Phone phone, WaSimulator.DeviceSlot slot, byte[] companionIdentity,
            byte[] details, byte[] accountSignature, String method, CompletableFuture<LinkedDevice> future) {
    }
}
