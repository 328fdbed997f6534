package dev.linkwell.client.engine;

import dev.linkwell.client.SendFailure;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.client.store.RecentSends;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.stanza.OutboundMessage;
import dev.linkwell.protocol.stanza.ParticipantHash;
import dev.linkwell.protocol.stanza.ServerAck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a text message to a user, as whatsmeow SendMessage / sendDM (send.go at 33cfac5) and Baileys 7 relayMessage
 * (Socket/messages-send.js) do: the devices of the recipient and of our own account (usync, {@link DeviceLists}),
 * bundles for the devices we have no session with ({@link BundleFetch}), then one {@code <enc>} per device
 * ({@link DeviceEncryption}: the message for the recipient's devices, a DeviceSentMessage for our own other
 * devices), the {@code <message>} ({@link OutboundMessage}), and the server's ack: its {@code t} confirms, an
 * {@code error} refuses, and a participant hash other than ours drops the cached device lists. The message is kept
 * ({@link RecentSends}) before it leaves, so a retry receipt for it can be answered ({@link ResendHandler}).
 * Confined to the connection's mailbox.
 */
final class SendHandler {

    private static final Logger log = LoggerFactory.getLogger(SendHandler.class);

    private record Pending(CompletableFuture<String> done, String phash, List<Jid> users) {}

    private final Connection conn;
    private final DeviceLists deviceLists;
    private final DeviceEncryption encryption;
    private final Map<String, Pending> awaitingAck = new HashMap<>();
    /** Sends not finished yet, failed at once when the connection ends (their next step would never run). */
    private final Set<CompletableFuture<String>> inFlight = new HashSet<>();

    SendHandler(Connection conn, DeviceLists deviceLists, DeviceEncryption encryption) {
        this.conn = conn;
        this.deviceLists = deviceLists;
        this.encryption = encryption;
    }

    void register(NodeRouter router) {
        router.on(ServerAck.TAG).to(this::onAck);
    }

    /** Sends {@code text} to {@code to} (a user JID without device); completes with the message id once the server took it. */
    CompletableFuture<String> sendText(Jid to, String text) {
        CompletableFuture<String> done = new CompletableFuture<>();
        inFlight.add(done);
        done.whenComplete((id, failure) -> inFlight.remove(done));
        try {
            start(to, Message.newBuilder().setConversation(text).build(), done);
        } catch (SendFailure e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The connection ended: whatever still waits for an ack fails. */
    void connectionEnded() {
        List<Pending> sent = List.copyOf(awaitingAck.values());
        awaitingAck.clear();
        sent.forEach(
                p -> p.done.completeExceptionally(
                        new SendFailure(
                                SendFailure.Kind.NOT_CONNECTED,
                                "the connection ended before the server confirmed the message; it may or may not have been delivered")));
        List.copyOf(inFlight)
                .forEach(d -> d.completeExceptionally(new SendFailure(
                        SendFailure.Kind.NOT_CONNECTED, "the connection ended before the message was sent")));
    }

    private void start(Jid to, Message message, CompletableFuture<String> done) {
        if (conn.state() != WaClient.State.OPEN) {
            throw new SendFailure(SendFailure.Kind.NOT_CONNECTED, "the connection is not open (" + conn.state() + ")");
        }
        if (to.isGroup() || to.isBroadcast()) {
            throw new SendFailure(
                    SendFailure.Kind.NOT_SUPPORTED, "the native engine sends to users only, not to " + to);
        }
        if (!(to.isUser() || to.isLid()) || to.hasDevice() || to.user().isEmpty()) {
            throw new SendFailure(SendFailure.Kind.BAD_RECIPIENT, "not a user to send to: " + to);
        }
        Credentials creds = conn.creds();
        Jid me = Jid.parse(creds.me());
        Jid myLid = Jid.tryParse(creds.lid());
        // the sender's account in the recipient's namespace (Baileys relayMessage: meLid for a LID chat)
        Jid ownUser = to.isLid() && myLid != null ? myLid.toNonAd() : me.toNonAd();
        List<Jid> users = new ArrayList<>(new LinkedHashSet<>(List.of(to, ownUser)));
        deviceLists
                .of(users)
                .whenComplete((accounts, failure) -> conn.run(() -> {
                    if (failure != null) {
                        done.completeExceptionally(failed("the device list query", failure));
                        return;
                    }
                    DeviceLists.Account recipient = accounts.get(to);
                    if (recipient == null || recipient.devices().isEmpty()) {
                        done.completeExceptionally(new SendFailure(
                                SendFailure.Kind.UNKNOWN_NUMBER,
                                to.user() + " is not on WhatsApp (the server knows no device for it)"));
                        return;
                    }
                    Set<Jid> devices = new LinkedHashSet<>(recipient.devices());
                    Optional.ofNullable(accounts.get(ownUser)).ifPresent(own -> devices.addAll(own.devices()));
                    devices.removeIf(d -> d.sameUser(me) && d.device() == me.device()
                            || myLid != null && d.sameUser(myLid.toNonAd()) && d.device() == myLid.device());
                    encrypt(to, ownUser, message, List.copyOf(devices), users, done);
                }));
    }

    private void encrypt(
            Jid to, Jid ownUser, Message message, List<Jid> devices, List<Jid> users, CompletableFuture<String> done) {
        String id = MessageIds.next(
                conn.runtime().clock().instant(),
                Jid.parse(conn.creds().me()).user(),
                conn.runtime().random());
        byte[] plain = message.toByteArray();
        byte[] deviceSent = Message.newBuilder()
                .setDeviceSentMessage(Message.DeviceSentMessage.newBuilder()
                        .setDestinationJid(to.toString())
                        .setMessage(message))
                .build()
                .toByteArray();
        encryption
                .forDevices(devices, d -> d.sameUser(ownUser) ? deviceSent : plain)
                .whenComplete((result, failure) -> conn.run(() -> {
                    if (failure != null) {
                        done.completeExceptionally(failed("the prekey fetch", failure));
                        return;
                    }
                    if (result.participants().stream()
                            .noneMatch(p -> Jid.parse(p.jid()).sameUser(to))) {
                        done.completeExceptionally(new SendFailure(
                                SendFailure.Kind.REFUSED,
                                result.firstErrorCode(),
                                "no device of " + to + " could be encrypted for: " + result.errors()));
                        return;
                    }
                    conn.repository()
                            .recentSends()
                            .add(new RecentSends.Sent(
                                    id,
                                    to.toString(),
                                    conn.runtime().clock().instant().getEpochSecond(),
                                    plain));
                    Optional<byte[]> identity = result.anyPreKeyMessage()
                            ? Optional.ofNullable(conn.creds().account())
                            : Optional.empty();
                    OutboundMessage stanza = OutboundMessage.fanOut(
                            id, to.toString(), "text", Map.of(), result.participants(), identity);
                    List<Jid> sentTo = result.participants().stream()
                            .map(p -> Jid.parse(p.jid()))
                            .toList();
                    awaitAck(id, new Pending(done, ParticipantHash.of(sentTo), users));
                    conn.send(stanza.toNode());
                    log.debug("message {} sent to {} device(s)", id, sentTo.size());
                }));
    }

    private void awaitAck(String id, Pending pending) {
        awaitingAck.put(id, pending);
        conn.after(conn.config().iqTimeout(), () -> {
            if (awaitingAck.remove(id) != null) {
                pending.done.completeExceptionally(new SendFailure(
                        SendFailure.Kind.TIMEOUT,
                        "the server did not confirm message " + id + " within "
                                + conn.config().iqTimeout().toSeconds() + " s"));
            }
        });
    }

    private void onAck(Node node) {
        ServerAck ack = ServerAck.from(node);
        Pending pending = "message".equals(ack.ackClass()) && ack.id() != null ? awaitingAck.remove(ack.id()) : null;
        if (pending == null) {
            return;
        }
        if (ack.error().isPresent()) {
            int code = ack.error().getAsInt();
            pending.done.completeExceptionally(new SendFailure(
                    SendFailure.Kind.REFUSED, code, "WhatsApp refused the message with error " + code + refusal(code)));
            return;
        }
        if (ack.phash() != null && !ack.phash().equals(pending.phash)) {
            log.warn(
                    "the server's participant hash for {} differs from ours: some devices may have missed it; "
                            + "device lists will be asked again",
                    ack.id());
            pending.users.forEach(deviceLists::forget);
        }
        pending.done.complete(ack.id());
    }

    /** Why a step before the message left failed, as a {@link SendFailure}. */
    private static SendFailure failed(String step, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return switch (cause) {
            case SendFailure f -> f;
            case NodeRouter.IqTimeoutException t ->
                new SendFailure(SendFailure.Kind.TIMEOUT, "the server did not answer " + step + " in time");
            case ProtocolException p -> new SendFailure(SendFailure.Kind.REFUSED, step + " failed: " + p.getMessage());
            default ->
                new SendFailure(SendFailure.Kind.NOT_CONNECTED, step + " did not complete: " + cause.getMessage());
        };
    }

    /** What the codes clients know mean (whatsapp-rust 1489b7da src/client/node_io.rs). */
    private static String refusal(int code) {
        return switch (code) {
            case 463 -> " (the recipient needs a privacy token this account lacks: the reach-out lock on new contacts)";
            case 479 -> " (a field of the message has a wrong format)";
            case 400 -> " (malformed message)";
            case 404 -> " (recipient not found)";
            default -> "";
        };
    }
}
