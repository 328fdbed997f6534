package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.binary.BinaryFrames;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Aes;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.Hkdf;
import dev.linkwell.protocol.crypto.Hmac;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.Pbkdf2;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.NoiseTransport;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import dev.linkwell.protocol.signal.SignedPreKeyRecord;
import dev.linkwell.protocol.version.WaVersion;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A minimal companion for the simulator's own tests, built only from the protocol module (Noise initiator with
 * the strict certificate check against the simulator's trust anchor, frame codec, binary codec). The main
 * validation of the simulator is Baileys (BaileysConformanceTest); this one reaches flows Baileys cannot
 * script (expired refs, idle clients, raw iqs).
 */
final class RawClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The version this client reports unless told otherwise: whatsmeow's (store/clientpayload.go @33cfac5). */
    static final WaVersion VERSION = WaVersion.parse("2.3000.1045649367");

    final KeyPair noiseKey;
    final KeyPair identityKey;
    final byte[] advSecret = random(32);
    final KeyPair signedPreKey = KeyPair.generate();
    final int registrationId = 1 + RANDOM.nextInt(16380);

    private final NoiseInitiator noise;
    private final FrameCodec.Encoder encoder;
    private final FrameCodec.Decoder decoder = FrameCodec.clientDecoder();
    private final byte[] payload;
    private final Client ws;
    private final LinkedBlockingQueue<Node> inbox = new LinkedBlockingQueue<>();
    private final List<Node> seen = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile NoiseTransport transport;
    private volatile int closeCode = -1;
    private volatile boolean closedByServer;
    private volatile Throwable failure;
    private int tag;

    private RawClient(WaSimulator sim, KeyPair noiseKey, KeyPair identityKey, ClientPayload payloadOrNull) {
        this(sim, noiseKey, identityKey, payloadOrNull, VERSION);
    }

    private RawClient(
            WaSimulator sim, KeyPair noiseKey, KeyPair identityKey, ClientPayload payloadOrNull, WaVersion version) {
        this.noiseKey = noiseKey;
        this.identityKey = identityKey;
        this.noise = new NoiseInitiator(noiseKey, CertificateVerifier.of(sim.trustAnchor()));
        this.encoder = FrameCodec.clientEncoder(noise.intro());
        this.payload = (payloadOrNull != null ? payloadOrNull : registrationPayload(version)).toByteArray();
        this.ws = new Client(URI.create(sim.webSocketUrl()));
    }

    /** A new companion (fresh keys) that sends a registration payload. */
    static RawClient register(WaSimulator sim) {
        RawClient c = new RawClient(sim, KeyPair.generate(), KeyPair.generate(), null);
        c.open();
        return c;
    }

    /** A new companion (fresh keys) that sends a registration payload reporting {@code version}. */
    static RawClient register(WaSimulator sim, WaVersion version) {
        RawClient c = new RawClient(sim, KeyPair.generate(), KeyPair.generate(), null, version);
        c.open();
        return c;
    }

    /** A companion (fresh keys) that sends the given ClientPayload as it is. */
    static RawClient connect(WaSimulator sim, ClientPayload payload) {
        RawClient c = new RawClient(sim, KeyPair.generate(), KeyPair.generate(), payload);
        c.open();
        return c;
    }

    /** A companion logging in as {@code user:device} with the given noise key. */
    static RawClient login(WaSimulator sim, KeyPair noiseKey, String user, int device) {
        ClientPayload p = ClientPayload.newBuilder()
                .setUsername(Long.parseLong(user))
                .setDevice(device)
                .setPassive(true)
                .setPull(true)
                .setUserAgent(userAgent(VERSION))
                .build();
        RawClient c = new RawClient(sim, noiseKey, KeyPair.generate(), p);
        c.open();
        return c;
    }

    /** A user agent reporting {@code version} (the rest of it is not read by the simulator). */
    static ClientPayload.UserAgent userAgent(WaVersion version) {
        return ClientPayload.UserAgent.newBuilder()
                .setPlatform(ClientPayload.UserAgent.Platform.WEB)
                .setAppVersion(ClientPayload.UserAgent.AppVersion.newBuilder()
                        .setPrimary(version.primary())
                        .setSecondary(version.secondary())
                        .setTertiary(version.tertiary()))
                .build();
    }

    /** This device's Signal side as its registration announced it: identity, registration id, signed prekey 1. */
    InMemorySignalStore signalStore() {
        InMemorySignalStore store = new InMemorySignalStore(identityKey, registrationId);
        store.commit(SignalStoreUpdate.builder()
                .putSignedPreKey(new SignedPreKeyRecord(
                        1, signedPreKey, XEdDSA.sign(identityKey.privateKey(), signedPreKey.signalPublicKey())))
                .build());
        return store;
    }

    private ClientPayload registrationPayload(WaVersion version) {
        byte[] spkSig = XEdDSA.sign(identityKey.privateKey(), signedPreKey.signalPublicKey());
        return ClientPayload.newBuilder()
                .setPassive(false)
                .setPull(false)
                .setUserAgent(userAgent(version))
                .setDevicePairingData(ClientPayload.DevicePairingRegistrationData.newBuilder()
                        .setERegid(ByteString.copyFrom(
                                new byte[] {0, 0, (byte) (registrationId >> 8), (byte) registrationId}))
                        .setEKeytype(ByteString.copyFrom(new byte[] {5}))
                        .setEIdent(ByteString.copyFrom(identityKey.publicKey()))
                        .setESkeyId(ByteString.copyFrom(new byte[] {0, 0, 1}))
                        .setESkeyVal(ByteString.copyFrom(signedPreKey.publicKey()))
                        .setESkeySig(ByteString.copyFrom(spkSig))
                        .setBuildHash(ByteString.copyFrom(random(16)))
                        .setDeviceProps(ByteString.EMPTY))
                .build();
    }

    private void open() {
        try {
            if (!ws.connectBlocking(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("WebSocket did not open");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean wsOpened() {
        return ws.isOpen();
    }

    // ---------------------------------------------------------------- nodes

    synchronized void send(Node node) {
        ws.send(encoder.encode(transport.encrypt(BinaryFrames.encodeFrame(node))));
    }

    String nextId() {
        return "raw-" + (++tag);
    }

    /** The next node (in arrival order) that matches, skipping others; fails after the timeout. */
    Node next(Predicate<Node> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Node n = null;
            try {
                n = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (n == null) {
                throw new AssertionError("no matching node within " + timeout + "; seen " + seen
                        + (failure != null ? "; failure " + failure : "") + "; closeCode " + closeCode);
            }
            seen.add(n);
            if (p.test(n)) {
                return n;
            }
        }
    }

    Node next(String tag, Duration timeout) {
        return next(n -> n.tag().equals(tag), timeout);
    }

    /** Every node {@link #next} took so far, matching or skipped, in arrival order. */
    List<Node> seen() {
        return List.copyOf(seen);
    }

    /** Sends an iq and returns its answer. */
    Node query(Node iq, Duration timeout) {
        send(iq);
        String id = iq.attr("id");
        return next(n -> n.tag().equals("iq") && id.equals(n.attr("id")), timeout);
    }

    boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int closeCode() {
        return closeCode;
    }

    // ---------------------------------------------------------------- pairing helpers

    /** Reads the pair-device iq, acks it, and returns the refs. */
    List<String> takeRefs(Duration timeout) {
        Node iq = next(n -> n.tag().equals("iq") && n.child("pair-device") != null, timeout);
        send(Node.of("iq", Nodes.attrs("to", "@s.whatsapp.net", "type", "result", "id", iq.attr("id"))));
        List<String> refs = new ArrayList<>();
        for (Node r : iq.child("pair-device").children("ref")) {
            refs.add(r.contentString());
        }
        return refs;
    }

    /** The old bare QR text, {@code ref,noise,identity,adv}. */
    String qr(String ref) {
        Base64.Encoder b = Base64.getEncoder();
        return String.join(
                ",",
                ref,
                b.encodeToString(noiseKey.publicKey()),
                b.encodeToString(identityKey.publicKey()),
                b.encodeToString(advSecret));
    }

    /** Today's QR text, {@code https://wa.me/settings/linked_devices#ref,noise,identity,adv,platformId}. */
    String qrUrl(String ref, String platformId) {
        return QrCode.URL_PREFIX + qr(ref) + "," + platformId;
    }

    /**
     * Waits for pair-success, checks it the way Baileys' configureSuccessfulPairing does (HMAC, account
     * signature) and answers with pair-device-sign. Returns the device JID from pair-success.
     */
    /** The device JID a {@link #pairByQr} link got. */
    String pairedJid;

    /**
     * Links a new companion to {@code phone} by QR (the phone scans on its own thread, not the common pool, which
     * other tests may keep busy) and returns it closed after the server's 515; {@link #pairedJid} names the device.
     */
    static RawClient pairByQr(WaSimulator sim, Phone phone, Duration timeout) throws Exception {
        RawClient pairing = register(sim);
        List<String> refs = pairing.takeRefs(timeout);
        try (ExecutorService phoneThread = Executors.newSingleThreadExecutor()) {
            Future<LinkedDevice> scan = phoneThread.submit(() -> phone.scan(pairing.qrUrl(refs.get(0), "1")));
            pairing.pairedJid = pairing.answerPairSuccess(timeout, pairing.advSecret);
            assertThat(scan.get(timeout.toMillis(), TimeUnit.MILLISECONDS).jid())
                    .isEqualTo(pairing.pairedJid);
        }
        assertThat(pairing.next("stream:error", timeout).attr("code")).isEqualTo("515");
        pairing.close();
        return pairing;
    }

    /** The companion's ADVSignedDeviceIdentity with both signatures and the account key, once paired (its device-identity). */
    byte[] signedIdentity;

    String answerPairSuccess(Duration timeout, byte[] advSecretUsed) throws Exception {
        Node iq = next(n -> n.tag().equals("iq") && n.child("pair-success") != null, timeout);
        Node ps = iq.child("pair-success");
        ADVSignedDeviceIdentityHMAC hmac = ADVSignedDeviceIdentityHMAC.parseFrom(
                ps.child("device-identity").contentBytes());
        assertThat(Hmac.sha256(advSecretUsed, hmac.getDetails().toByteArray()))
                .isEqualTo(hmac.getHmac().toByteArray());
        ADVSignedDeviceIdentity account = ADVSignedDeviceIdentity.parseFrom(hmac.getDetails());
        byte[] details = account.getDetails().toByteArray();
        byte[] accountKey = account.getAccountSignatureKey().toByteArray();
        assertThat(XEdDSA.verify(
                        accountKey,
                        Bytes.concat(new byte[] {6, 0}, details, identityKey.publicKey()),
                        account.getAccountSignature().toByteArray()))
                .as("account signature")
                .isTrue();
        byte[] deviceSig = XEdDSA.sign(
                identityKey.privateKey(),
                Bytes.concat(new byte[] {6, 1}, details, identityKey.publicKey(), accountKey));
        signedIdentity = account.toBuilder()
                .setDeviceSignature(ByteString.copyFrom(deviceSig))
                .build()
                .toByteArray();
        byte[] reply = account.toBuilder()
                .clearAccountSignatureKey()
                .setDeviceSignature(ByteString.copyFrom(deviceSig))
                .build()
                .toByteArray();
        int keyIndex = ADVDeviceIdentity.parseFrom(details).getKeyIndex();
        send(Nodes.parent(
                "iq",
                Nodes.attrs("to", "@s.whatsapp.net", "type", "result", "id", iq.attr("id")),
                Nodes.parent(
                        "pair-device-sign",
                        Nodes.attrs(),
                        Node.withBytes(
                                "device-identity", Nodes.attrs("key-index", Integer.toString(keyIndex)), reply))));
        return ps.child("device").attr("jid");
    }

    // ---------------------------------------------------------------- pairing code (companion side)

    private KeyPair pairingEphemeral;
    private String pairingCode;

    /** Sends companion_hello for {@code number} with a fresh 8-character code; returns {code, ref}. */
    String[] requestPairingCode(String number, Duration timeout) {
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            code.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        pairingCode = code.toString();
        pairingEphemeral = KeyPair.generate();
        byte[] salt = random(32);
        byte[] iv = random(16);
        byte[] wrapped = Bytes.concat(
                salt, iv, Aes.ctr(Pbkdf2.pairingCodeKey(pairingCode, salt), iv, pairingEphemeral.publicKey()));
        Node answer = companionHello(number, wrapped, "1", "Chrome (Linux)", timeout);
        String ref = answer.child("link_code_companion_reg")
                .child("link_code_pairing_ref")
                .contentString();
        return new String[] {pairingCode, ref};
    }

    /** Sends companion_hello with the given platform id and display; returns the server's answer. */
    Node companionHello(String number, byte[] wrappedEphemeral, String platformId, String display, Duration timeout) {
        return query(
                Nodes.parent(
                        "iq",
                        Nodes.attrs("to", "@s.whatsapp.net", "type", "set", "id", nextId(), "xmlns", "md"),
                        Nodes.parent(
                                "link_code_companion_reg",
                                Nodes.attrs(
                                        "jid",
                                        number + "@s.whatsapp.net",
                                        "stage",
                                        "companion_hello",
                                        "should_show_push_notification",
                                        "true"),
                                Nodes.bytes("link_code_pairing_wrapped_companion_ephemeral_pub", wrappedEphemeral),
                                Nodes.bytes("companion_server_auth_key_pub", noiseKey.publicKey()),
                                Node.withString("companion_platform_id", Map.of(), platformId),
                                Node.withString("companion_platform_display", Map.of(), display),
                                Nodes.bytes("link_code_pairing_nonce", new byte[] {0}))),
                timeout);
    }

    /**
     * Waits for the phone's link_code_companion_reg notification and answers companion_finish (as Baileys'
     * messages-recv.js does). Returns {the adv secret, the server's answer to companion_finish}.
     */
    Object[] finishPairingCode(Duration timeout) {
        Node n = next(x -> x.tag().equals("notification") && "link_code_companion_reg".equals(x.attr("type")), timeout);
        Node reg = n.child("link_code_companion_reg");
        byte[] ref = reg.child("link_code_pairing_ref").contentBytes();
        byte[] primaryIdentity = reg.child("primary_identity_pub").contentBytes();
        byte[] wrapped =
                reg.child("link_code_pairing_wrapped_primary_ephemeral_pub").contentBytes();
        byte[] primaryEphemeral = Aes.ctr(
                Pbkdf2.pairingCodeKey(pairingCode, java.util.Arrays.copyOfRange(wrapped, 0, 32)),
                java.util.Arrays.copyOfRange(wrapped, 32, 48),
                java.util.Arrays.copyOfRange(wrapped, 48, 80));
        byte[] shared = Curve25519.sharedSecret(pairingEphemeral.privateKey(), primaryEphemeral);
        byte[] rnd = random(32);
        byte[] salt = random(32);
        byte[] iv = random(12);
        byte[] bundleKey = Hkdf.derive(shared, salt, "link_code_pairing_key_bundle_encryption_key".getBytes(), 32);
        byte[] bundle = Bytes.concat(
                salt,
                iv,
                Aes.gcmEncrypt(
                        bundleKey, iv, Bytes.concat(identityKey.publicKey(), primaryIdentity, rnd), new byte[0]));
        byte[] identityShared = Curve25519.sharedSecret(identityKey.privateKey(), primaryIdentity);
        byte[] adv = Hkdf.derive(Bytes.concat(shared, identityShared, rnd), new byte[0], "adv_secret".getBytes(), 32);
        Node answer = query(
                Nodes.parent(
                        "iq",
                        Nodes.attrs("to", "@s.whatsapp.net", "type", "set", "id", nextId(), "xmlns", "md"),
                        Nodes.parent(
                                "link_code_companion_reg",
                                Nodes.attrs("jid", "x@s.whatsapp.net", "stage", "companion_finish"),
                                Nodes.bytes("link_code_pairing_wrapped_key_bundle", bundle),
                                Nodes.bytes("companion_identity_public", identityKey.publicKey()),
                                Nodes.bytes("link_code_pairing_ref", ref))),
                timeout);
        return new Object[] {adv, answer};
    }

    @Override
    public void close() {
        try {
            ws.closeBlocking();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private final class Client extends WebSocketClient {
        Client(URI uri) {
            super(uri);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            send(encoder.encode(noise.clientHello()));
        }

        @Override
        public void onMessage(String message) {
            failure = new AssertionError("text frame from server");
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] chunk = new byte[bytes.remaining()];
            bytes.get(chunk);
            try {
                for (byte[] frame : decoder.feed(chunk)) {
                    if (transport == null) {
                        noise.processServerHello(frame);
                        send(encoder.encode(noise.clientFinish(payload)));
                        transport = noise.transport();
                    } else {
                        inbox.add(BinaryFrames.decodeFrame(transport.decrypt(frame)));
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
                close();
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeCode = code;
            closedByServer = remote;
            closed.countDown();
        }

        @Override
        public void onError(Exception ex) {
            failure = ex;
        }
    }
}
