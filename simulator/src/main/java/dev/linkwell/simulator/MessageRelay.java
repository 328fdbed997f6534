package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.BinaryFrames;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.OutboundMessage;
import dev.linkwell.protocol.stanza.ParticipantHash;
import dev.linkwell.protocol.stanza.ServerAck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code <message>} a logged-in device sends: checked ({@link MessageChecks}), then each {@code <enc>} goes to its
 * device, and the server answers with its ack, {@code <ack class="message" id from=to t phash/>}, or refuses with
 * {@code error=N} (also when a test scripted a refusal, {@link WaSimulator#refuseNextMessage}). A phone (device 0)
 * decrypts its part at once ({@link PhoneInbox}), sends the delivery receipt {@code <receipt from id t/>} for a
 * message from another account, and a retry receipt when it cannot read it. A companion gets {@code <message from=
 * sending device id t type [recipient]><enc/>[<device-identity/>]</message>}, {@code recipient} naming the chat when
 * the companion is the sender's own (whatsmeow message.go parseMessageSource at 33cfac5), now if it is connected and
 * kept until it confirms it, as the server keeps every message. The participant hash is the server's: all current
 * devices of both accounts but the sending one, so a sender with a stale list sees a different hash (whatsmeow
 * send.go SendMessage).
 */
final class MessageRelay {

    private final ServerConnection conn;
    private final MessageChecks checks;

    MessageRelay(ServerConnection conn) {
        this.conn = conn;
        this.checks = new MessageChecks(conn.server().accounts());
    }

    void register(NodeRouter router) {
        router.on("message").to(this::onMessage);
    }

    /** A relayed stanza as stored for an offline device, back as a node. */
    static Node node(SimulatorState.RelayedStanza stanza) {
        return BinaryFrames.decodeFrame(stanza.node(), TokenDictionary.V3);
    }

    /** The refusal of message {@code node} with {@code code}, as the server's ack. */
    static Node refusal(Node node, int code, long t) {
        return ServerAck.refused(node.attr("id"), node.attr("to"), t, code).toNode();
    }

    private void onMessage(Node node) {
        LinkedDevice sender = conn.server().accounts().device(conn.deviceJid());
        if (sender == null) {
            return;
        }
        long t = conn.now().getEpochSecond();
        if (node.attr("id") == null) {
            conn.event(new SimulatorEvent.MessageRefused(conn.origin(), null, 400, "a message needs id, to and type"));
            conn.send(refusal(node, 400, t));
            return;
        }
        switch (checks.check(node, sender)) {
            case MessageChecks.Refusal r -> {
                conn.event(new SimulatorEvent.MessageRefused(conn.origin(), node.attr("id"), r.code(), r.why()));
                conn.send(refusal(node, r.code(), t));
            }
            case MessageChecks.Fanout f -> relay(f, t);
        }
    }

    private void relay(MessageChecks.Fanout f, long t) {
        OutboundMessage m = f.message();
        int delivered = 0;
        for (MessageChecks.Target target : f.targets()) {
            if (target.device() == null) {
                continue; // a device the account does not have: the participant hash tells the sender
            }
            delivered++;
            if (target.device().device() == 0) {
                toPhone(f, target, t);
            } else {
                toCompanion(f, target, t);
            }
        }
        // recorded before the ack leaves, so whoever sees the ack finds the event
        conn.event(new SimulatorEvent.MessageRelayed(conn.origin(), m.id(), f.to().toString(), delivered));
        conn.send(ServerAck.accepted(m.id(), f.to().toString(), t, phash(f)).toNode());
    }

    private void toPhone(MessageChecks.Fanout f, MessageChecks.Target target, long t) {
        Phone phone = target.account();
        Jid from = senderAddress(f);
        PhoneInbox.Outcome outcome = conn.server()
                .inbox()
                .receive(
                        phone,
                        f.senderDevice(),
                        from,
                        f.to(),
                        f.message().id(),
                        f.message().type(),
                        target.participant().enc(),
                        t,
                        conn.now(),
                        Jid.parse(target.participant().jid()));
        switch (outcome) {
            case PhoneInbox.Read read -> {
                if (phone != f.sender()) {
                    conn.send(Node.of(
                            "receipt",
                            Nodes.attrs(
                                    "from",
                                    target.participant().jid(),
                                    "id",
                                    f.message().id(),
                                    "t",
                                    Long.toString(t))));
                }
                conn.event(new SimulatorEvent.PhoneRead(
                        conn.origin(), phone.id(), f.message().id()));
            }
            case PhoneInbox.Retry retry -> {
                conn.send(relayed(retry.receipt().toNode(), t));
                conn.event(new SimulatorEvent.PhoneRetry(
                        conn.origin(),
                        phone.id(),
                        f.message().id(),
                        retry.receipt().count()));
            }
            case PhoneInbox.GaveUp gaveUp ->
                conn.event(new SimulatorEvent.PhoneRetry(
                        conn.origin(), phone.id(), f.message().id(), -1));
        }
    }

    private void toCompanion(MessageChecks.Fanout f, MessageChecks.Target target, long t) {
        String deviceJid = target.account().linkedDevices().stream()
                .filter(d -> d.deviceId() == target.device().device())
                .findFirst()
                .orElseThrow()
                .jid();
        OutboundMessage m = f.message();
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("from", senderAddress(f).toString());
        attrs.put("id", m.id());
        attrs.put("t", Long.toString(t));
        attrs.put("type", m.type());
        if (target.account() == f.sender()) {
            attrs.put("recipient", m.attrs().getOrDefault("recipient", f.to().toString()));
        }
        List<Node> content = new ArrayList<>(2);
        content.add(target.participant().enc().toNode());
        m.deviceIdentity().ifPresent(d -> content.add(Nodes.bytes("device-identity", d)));
        Node stanza = Node.withChildren("message", attrs, content);
        conn.server()
                .accounts()
                .queueRelayed(
                        deviceJid,
                        new SimulatorState.RelayedStanza(m.id(), BinaryFrames.encodeFrame(stanza, TokenDictionary.V3)));
        conn.server().connections().of(deviceJid).ifPresent(c -> c.run(() -> c.login.deliver(stanza)));
    }

    /**
     * A receipt as the server hands it to the device it is meant for: from its sender ({@code to} becomes
     * {@code from}), with the server's time.
     */
    static Node relayed(Node receipt, long t) {
        Map<String, String> attrs = new LinkedHashMap<>();
        receipt.attrs().forEach((k, v) -> attrs.put(k.equals("to") ? "from" : k, v));
        attrs.put("t", Long.toString(t));
        return Node.withChildren(receipt.tag(), attrs, receipt.children());
    }

    /** The sending device in the message's namespace. */
    private static Jid senderAddress(MessageChecks.Fanout f) {
        LinkedDevice d = f.senderDevice();
        return Jid.parse(f.lid() && d.lid() != null ? d.lid() : d.jid());
    }

    /** The server's participant hash: every current device of both accounts, in the message's namespace, but the sender. */
    private static String phash(MessageChecks.Fanout f) {
        List<Jid> devices = new ArrayList<>();
        for (Phone account : f.recipient() == f.sender() ? List.of(f.sender()) : List.of(f.recipient(), f.sender())) {
            String user = f.lid() ? account.lidUser() : account.number();
            String server = f.lid() ? "lid" : "s.whatsapp.net";
            devices.add(Jid.of(user, 0, server));
            for (LinkedDevice d : account.linkedDevices()) {
                if (!d.jid().equals(f.senderDevice().jid())) {
                    devices.add(Jid.of(user, d.deviceId(), server));
                }
            }
        }
        return ParticipantHash.of(devices);
    }
}
