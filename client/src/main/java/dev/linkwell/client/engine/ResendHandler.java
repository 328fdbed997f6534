package dev.linkwell.client.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.client.store.RecentSends;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.SignalException;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.OutboundMessage;
import dev.linkwell.protocol.stanza.PreKeyFetch;
import dev.linkwell.protocol.stanza.RetryReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a retry receipt for a message this device sent ({@link RetryReceipt}): the message comes from
 * {@link RecentSends}, a new session is started first when the receipt carries the asking device's keys, when
 * there is no session with it, or from the second try on (at most once an hour per device), and the message goes
 * again to that device alone: {@code <message id to=device type t device_fanout="false" [recipient]><enc v="2"
 * type count=N/>[<device-identity/>]</message>}, a DeviceSentMessage for our own devices (whatsmeow retry.go
 * handleRetryReceipt / shouldRecreateSession at 33cfac5). More than {@link #MAX_ANSWERS} requests for one message
 * from one device are dropped, as whatsmeow does. Confined to the connection's mailbox.
 */
final class ResendHandler {

    private static final Logger log = LoggerFactory.getLogger(ResendHandler.class);
    static final int MAX_ANSWERS = 10;
    private static final int MAX_TRACKED = 1_000;
    private static final Duration RECREATE_AFTER = Duration.ofHours(1);

    private final Connection conn;
    private final DeviceEncryption encryption;
    private final BundleFetch bundles;
    /** Answers given per device and message, and when a session with a device was last started over; bounded. */
    private final Map<String, Integer> answered = bounded();

    private final Map<String, Instant> recreated = bounded();

    ResendHandler(Connection conn, DeviceEncryption encryption, BundleFetch bundles) {
        this.conn = conn;
        this.encryption = encryption;
        this.bundles = bundles;
    }

    void register(NodeRouter router) {
        router.on("receipt").type("retry").to(this::onRetry);
    }

    private void onRetry(Node node) {
        RetryReceipt receipt;
        Jid device;
        try {
            receipt = RetryReceipt.from(node).orElseThrow();
            device = Jid.parse(receipt.to());
        } catch (ProtocolException e) {
            log.debug("unreadable retry receipt: {}", e.getMessage());
            return;
        }
        Optional<RecentSends.Sent> sent = conn.repository().recentSends().find(receipt.messageId());
        if (sent.isEmpty()) {
            log.info(
                    "retry receipt from {} for {}, a message not among the recent ones: not answered",
                    device,
                    receipt.messageId());
            return;
        }
        int tries = answered.merge(device + "/" + receipt.messageId(), 1, Integer::sum);
        if (tries > MAX_ANSWERS) {
            log.warn("retry request {} from {} for {} dropped", tries, device, receipt.messageId());
            return;
        }
        Message message;
        try {
            message = Message.parseFrom(sent.get().message());
        } catch (InvalidProtocolBufferException e) {
            log.warn("stored message {} does not parse: {}", receipt.messageId(), e.getMessage());
            return;
        }
        boolean ownDevice = isOwn(device);
        byte[] plaintext = (ownDevice
                        ? Message.newBuilder()
                                .setDeviceSentMessage(Message.DeviceSentMessage.newBuilder()
                                        .setDestinationJid(sent.get().chat())
                                        .setMessage(message))
                                .build()
                        : message)
                .toByteArray();
        session(device, receipt)
                .whenComplete((ready, failure) -> conn.run(() -> {
                    if (failure != null || ready != null) {
                        log.warn(
                                "retry of {} for {} not answered: {}",
                                receipt.messageId(),
                                device,
                                failure != null ? failure.getMessage() : ready);
                        return;
                    }
                    Enc enc;
                    try {
                        enc = encryption.encrypt(device, plaintext);
                    } catch (SignalException e) {
                        log.warn("retry of {} for {} not answered: {}", receipt.messageId(), device, e.getMessage());
                        return;
                    }
                    Map<String, String> attrs = new LinkedHashMap<>();
                    attrs.put("id", receipt.messageId());
                    attrs.put("to", receipt.to());
                    attrs.put("type", "text");
                    attrs.put("t", Long.toString(sent.get().sentAt()));
                    attrs.put("device_fanout", "false");
                    if (receipt.recipient() != null) {
                        attrs.put("recipient", receipt.recipient());
                    }
                    if (receipt.participant() != null) {
                        attrs.put("participant", receipt.participant());
                    }
                    Enc counted = enc.withCount(receipt.count());
                    boolean preKey = counted.type().equals("pkmsg");
                    conn.send(OutboundMessage.single(
                                    attrs,
                                    counted,
                                    preKey ? Optional.ofNullable(conn.creds().account()) : Optional.empty())
                            .toNode());
                    log.info("message {} sent again to {} (try {})", receipt.messageId(), device, receipt.count());
                }));
    }

    /** Makes sure a usable session with {@code device} exists; completes with null, or with why not. */
    private CompletableFuture<String> session(Jid device, RetryReceipt receipt) {
        Optional<PreKeyBundle> keys = receipt.bundle();
        if (keys.isPresent()) {
            return CompletableFuture.completedFuture(encryption.start(device, keys.get()));
        }
        Instant now = conn.runtime().clock().instant();
        Instant last = recreated.get(device.toString());
        boolean stale = receipt.count() >= 2
                && (last == null || last.plus(RECREATE_AFTER).isBefore(now));
        if (encryption.hasSession(device) && !stale) {
            return CompletableFuture.completedFuture(null);
        }
        recreated.put(device.toString(), now);
        CompletableFuture<String> done = new CompletableFuture<>();
        bundles.fetch(List.of(device), false)
                .whenComplete((answers, failure) -> conn.run(() -> {
                    if (failure != null) {
                        done.complete("the bundle fetch failed: " + failure.getMessage());
                        return;
                    }
                    PreKeyFetch.Result answer = answers.get(device.toString());
                    Optional<PreKeyBundle> bundle = answer == null ? Optional.empty() : answer.bundle();
                    done.complete(bundle.map(b -> encryption.start(device, b)).orElse("no bundle for " + device));
                }));
        return done;
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_TRACKED;
            }
        };
    }

    private boolean isOwn(Jid device) {
        Jid me = Jid.tryParse(conn.creds().me());
        Jid myLid = Jid.tryParse(conn.creds().lid());
        return me != null && device.user().equals(me.user())
                || myLid != null && device.user().equals(myLid.user());
    }
}
