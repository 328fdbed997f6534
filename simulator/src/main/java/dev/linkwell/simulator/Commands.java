package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Failure;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.LinkCode;
import dev.linkwell.protocol.stanza.Message;
import dev.linkwell.protocol.stanza.Notification;
import dev.linkwell.protocol.stanza.StreamError;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a test (or the admin API) tells the server and its phones to do; {@link WaSimulator} documents each
 * command. A command on a connection runs in that connection's mailbox and has taken effect when it returns.
 * Answers that replace the server's own (a refused pairing-code request, a failed login) are scripts for the
 * {@link Dispatcher}.
 */
final class Commands {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Logger log = LoggerFactory.getLogger(Commands.class);

    private final ServerParts server;
    private final ScriptedDispatcher scripts;
    private final PhoneMessages messages;

    Commands(ServerParts server, ScriptedDispatcher scripts) {
        this.server = server;
        this.scripts = scripts;
        this.messages = new PhoneMessages(server);
    }

    // ---------------------------------------------------------------- phones

    LinkedDevice scan(Phone phone, QrCode qr) {
        ServerConnection c = server.connections()
                .showing(qr.ref())
                .orElseThrow(() -> SimulatorException.notFound("no connection is showing QR ref " + qr.ref()));
        return await(c.call(() -> c.qrPairing.acceptScan(phone, qr)), "the companion's pair-device-sign");
    }

    LinkedDevice enterCode(Phone phone, String code) {
        String normalized =
                code == null ? "" : code.replace("-", "").replace(" ", "").toUpperCase();
        if (!normalized.matches("[0-9A-Z]{8}")) {
            throw SimulatorException.badRequest("pairing code must be 8 letters or digits");
        }
        // a client shows the code as soon as it sent companion_hello (Baileys does not wait for the answer), so
        // a script can be faster than the server; a person typing the code never is
        server.recorder()
                .awaitCondition(
                        () -> server.connections()
                                .waitingForCode(phone.number())
                                .isPresent(),
                        WaSimulator.CODE_REQUEST_WAIT);
        ServerConnection c = server.connections()
                .waitingForCode(phone.number())
                .orElseThrow(() -> SimulatorException.conflict(
                        "no companion is waiting for a pairing code for " + phone.number()));
        return await(
                c.call(() -> c.codePairing.enterCode(phone, normalized)),
                "the companion's companion_finish and pair-device-sign");
    }

    private LinkedDevice await(CompletableFuture<LinkedDevice> f, String what) {
        try {
            return f.get(server.config().pairingTimeout().toMillis(), TimeUnit.MILLISECONDS);
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

    // ---------------------------------------------------------------- messages and stanzas

    String sendMessage(String deviceJid, Phone from, String text) {
        requireText(from, text);
        requireDevice(deviceJid);
        return messages.text(from, deviceJid, text);
    }

    String sendGroupMessage(String deviceJid, Phone from, String groupJid, String text) {
        requireText(from, text);
        requireDevice(deviceJid);
        Jid group = Jid.tryParse(groupJid);
        if (group == null || !group.isGroup()) {
            throw SimulatorException.badRequest("not a group JID: " + WaSimulator.quote(groupJid));
        }
        return messages.group(from, deviceJid, group.toString(), text);
    }

    String sendFromOwner(Phone phone, String chatJid, String text) {
        requireText(phone, text);
        Jid chat = Jid.tryParse(chatJid);
        if (chat == null || chat.user().isEmpty()) {
            throw SimulatorException.badRequest("not a chat JID: " + WaSimulator.quote(chatJid));
        }
        return messages.fromOwner(phone, chat.toNonAd().toString(), text);
    }

    void companionReady(String deviceJid) {
        server.workers().execute(() -> {
            try {
                messages.afterLink(deviceJid);
                server.recorder().event(new SimulatorEvent.CompanionSynced(origin(0, deviceJid), true, null));
            } catch (RuntimeException e) {
                log.warn("the phone's messages after linking {} were not sent: {}", deviceJid, e.toString());
                server.recorder()
                        .event(new SimulatorEvent.CompanionSynced(origin(0, deviceJid), false, e.getMessage()));
            }
        });
    }

    void corruptNextMessages(String deviceJid, int count) {
        requireDevice(deviceJid);
        requireCount(count);
        server.phoneSender().faults().corruptNext(deviceJid, count);
    }

    void reverseNextMessages(String deviceJid, int count) {
        requireDevice(deviceJid);
        if (count < 2 || count > 1000) {
            throw SimulatorException.badRequest("count must be between 2 and 1000");
        }
        server.phoneSender().faults().reverseNext(deviceJid, count);
    }

    void doubleNextMessages(String deviceJid, int count) {
        requireDevice(deviceJid);
        requireCount(count);
        server.phoneSender().faults().doubleNext(deviceJid, count);
    }

    private static void requireCount(int count) {
        if (count < 1 || count > 1000) {
            throw SimulatorException.badRequest("count must be between 1 and 1000");
        }
    }

    private static void requireText(Phone from, String text) {
        if (from == null) {
            throw SimulatorException.badRequest("sender phone is required");
        }
        if (text == null || text.isEmpty()) {
            throw SimulatorException.badRequest("text must not be empty");
        }
        if (text.length() > 65536) {
            throw SimulatorException.badRequest("text is longer than 65536 characters");
        }
    }

    /**
     * The stanza a waiting message is sent as: its {@code <enc>} payloads, or for a message kept by a simulator
     * from before phones encrypted, a {@code <plaintext>} Message{conversation} (which Baileys reads as it is).
     */
    static Node messageNode(SimulatorState.PendingMessage m) {
        if (!m.payloads().isEmpty()) {
            return Message.encrypted(m.attrs(), m.payloads()).toNode();
        }
        byte[] content = dev.linkwell.protocol.proto.Message.newBuilder()
                .setConversation(m.text())
                .build()
                .toByteArray();
        return Message.plaintext(m.id(), m.fromJid(), m.timestamp(), m.senderPn(), content)
                .toNode();
    }

    String sendStanza(String deviceJid, String tag, Phone from) {
        if (!tag.equals("status") && !tag.equals("appdata")) {
            throw SimulatorException.badRequest("tag must be status or appdata");
        }
        ServerConnection c = requireConnection(deviceJid);
        String id = PhoneMessages.newId();
        String t = Long.toString(now().getEpochSecond());
        Map<String, String> attrs = tag.equals("status")
                ? Nodes.attrs(
                        "id",
                        id,
                        "from",
                        "status@broadcast",
                        "participant",
                        from.senderAddress(),
                        "t",
                        t,
                        "type",
                        "text")
                : Nodes.attrs("id", id, "from", from.senderAddress(), "t", t);
        byte[] payload = new byte[48];
        RANDOM.nextBytes(payload);
        Node stanza = Node.withChildren(
                tag, attrs, List.of(Node.withBytes("enc", Nodes.attrs("v", "2", "type", "msg"), payload)));
        c.call(() -> c.login.deliver(stanza));
        server.recorder().event(new SimulatorEvent.StanzaSent(origin(c.id(), deviceJid), tag, id));
        return id;
    }

    void sendRawStanza(String deviceJid, byte[] nodeBytes) {
        ServerConnection c = requireConnection(deviceJid);
        c.call(() -> {
            c.requireLoggedIn();
            c.sendRaw(nodeBytes);
            return null;
        });
        server.recorder().event(new SimulatorEvent.RawStanzaSent(origin(c.id(), deviceJid), nodeBytes.length));
    }

    String notifyLowPreKeys(String deviceJid, int count) {
        if (count < 0 || count > WaSimulator.MAX_PREKEYS_PER_DEVICE) {
            throw SimulatorException.badRequest("count must be between 0 and " + WaSimulator.MAX_PREKEYS_PER_DEVICE);
        }
        ServerConnection c = requireConnection(deviceJid);
        String id = c.call(() -> {
            c.requireLoggedIn();
            String notificationId = c.nextId();
            c.send(Notification.preKeysLow(notificationId, now().getEpochSecond(), count));
            return notificationId;
        });
        server.recorder().event(new SimulatorEvent.PreKeyLow(origin(c.id(), deviceJid), count, id));
        return id;
    }

    // ---------------------------------------------------------------- the server ends or refuses

    void removeDevice(String deviceJid) {
        requireDevice(deviceJid);
        forgetDevice(deviceJid, "removed by command");
        server.connections()
                .of(deviceJid)
                .ifPresent(c -> endStream(c, StreamError.deviceRemoved().toNode()));
    }

    void forgetDevice(String deviceJid, String why) {
        server.accounts().forget(deviceJid);
        server.acks().forget(deviceJid);
        server.recorder().event(new SimulatorEvent.DeviceRemoved(origin(0, deviceJid), why));
    }

    void replace(String deviceJid) {
        endStream(requireConnection(deviceJid), StreamError.replaced().toNode());
        server.recorder().event(new SimulatorEvent.Replaced(origin(0, deviceJid), "by command"));
    }

    void streamError(String deviceJid, int code) {
        if (code < 100 || code > 999) {
            throw SimulatorException.badRequest("stream error code must be 100..999");
        }
        endStream(requireConnection(deviceJid), StreamError.code(code).toNode());
    }

    void failure(String deviceJid, int reason) {
        if (reason < 100 || reason > 999) {
            throw SimulatorException.badRequest("failure reason must be 100..999");
        }
        endStream(requireConnection(deviceJid), Failure.of(reason).toNode());
    }

    void temporaryBan(String deviceJid, int banCode, Duration expire) {
        requireDevice(deviceJid);
        if (expire.isNegative() || expire.isZero() || expire.compareTo(Duration.ofDays(365)) > 0) {
            throw SimulatorException.badRequest("expire must be between 1 second and 365 days");
        }
        if (banCode < 0 || banCode > 999) {
            throw SimulatorException.badRequest("ban code must be 0..999");
        }
        server.accounts().ban(deviceJid, banCode, now().plus(expire));
        ServerConnection c = server.connections().of(deviceJid).orElse(null);
        if (c != null) {
            endStream(c, Failure.temporaryBan(banCode, expire.toSeconds()).toNode());
        }
        server.recorder()
                .event(new SimulatorEvent.TemporaryBan(
                        origin(c == null ? 0 : c.id(), deviceJid), banCode, expire.toSeconds()));
    }

    void failNextLogin(String deviceJid, int reason) {
        requireDevice(deviceJid);
        if (reason < 100 || reason > 999) {
            throw SimulatorException.badRequest("failure reason must be 100..999");
        }
        scripts.enqueue(
                r -> r instanceof Request.Login login && login.deviceJid().equals(deviceJid),
                Reply.endStream(Failure.at(reason, "sim").toNode()));
    }

    void refuseNextPairingCodeRequest(int code) {
        if (code < 400 || code > 599) {
            throw SimulatorException.badRequest("error code must be 400..599");
        }
        scripts.enqueue(
                r -> r instanceof Request.Stanza s
                        && s.isIq("md", LinkCode.TAG)
                        && LinkCode.HELLO.equals(s.node().child(LinkCode.TAG).attr("stage")),
                exchange -> {
                    Request.Stanza hello = (Request.Stanza) exchange.request();
                    server.recorder()
                            .event(new SimulatorEvent.LinkCodeRefused(
                                    origin(hello.connectionId(), null), "scripted error " + code));
                    exchange.reply(Iq.serverError(hello.node(), code, code == 400 ? "bad-request" : "error"));
                });
    }

    void refuseNextMessage(String deviceJid, int code) {
        requireDevice(deviceJid);
        if (code < 400 || code > 599) {
            throw SimulatorException.badRequest("error code must be 400..599");
        }
        scripts.enqueue(
                r -> r instanceof Request.Stanza s
                        && deviceJid.equals(s.deviceJid())
                        && "message".equals(s.node().tag())
                        && s.node().attr("id") != null,
                exchange -> {
                    Node message = ((Request.Stanza) exchange.request()).node();
                    server.recorder()
                            .event(new SimulatorEvent.MessageRefused(
                                    origin(exchange.request().connectionId(), deviceJid),
                                    message.attr("id"),
                                    code,
                                    "scripted"));
                    exchange.reply(MessageRelay.refusal(message, code, now().getEpochSecond()));
                });
    }

    void drop(String deviceJid) {
        ServerConnection c = requireConnection(deviceJid);
        c.call(() -> {
            c.drop();
            return null;
        });
    }

    void silence(String deviceJid) {
        ServerConnection c = requireConnection(deviceJid);
        c.call(() -> {
            c.liveness.silence();
            return null;
        });
        server.recorder().event(new SimulatorEvent.Silenced(origin(c.id(), deviceJid)));
    }

    void refuseConnections(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw SimulatorException.badRequest("duration must not be negative");
        }
        server.connections().refuseFor(duration);
    }

    // ---------------------------------------------------------------- helpers

    private void endStream(ServerConnection c, Node errorOrFailure) {
        c.call(() -> {
            c.endStream(errorOrFailure);
            return null;
        });
    }

    LinkedDevice requireDevice(String jid) {
        LinkedDevice d = server.accounts().device(jid);
        if (d == null) {
            throw SimulatorException.notFound("no linked device " + WaSimulator.quote(jid));
        }
        return d;
    }

    private ServerConnection requireConnection(String jid) {
        requireDevice(jid);
        return server.connections()
                .of(jid)
                .orElseThrow(() -> SimulatorException.conflict("device " + jid + " is not connected"));
    }

    private SimulatorEvent.Origin origin(long connectionId, String deviceJid) {
        return server.recorder().origin(connectionId, deviceJid);
    }

    private Instant now() {
        return server.scheduler().now();
    }
}
