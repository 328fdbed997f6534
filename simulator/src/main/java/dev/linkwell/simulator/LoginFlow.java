package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.stanza.Failure;
import dev.linkwell.protocol.stanza.StreamError;
import dev.linkwell.protocol.stanza.Success;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A linked device logs in: the payload's username + device must name a linked device with this noise key, else
 * {@code <failure reason="401"/>}. Then the {@link Dispatcher} decides ({@link Request.Login}); WhatsApp refuses a
 * banned device with {@code <failure reason="402" code expire/>} and otherwise answers {@code <success t lid .../>}
 * (Baileys reads {@code lid}, Socket/socket.js 'CB:success'; whatsmeow handleConnectSuccess), replaces an older
 * connection of the same device, sends what the device still owes an ack for and the messages waiting for it,
 * and {@code <ib><offline count=N/></ib>} once every backlog message was confirmed (or after
 * {@link SimulatorConfig#offlineFlushTimeout()}): Baileys flushes what it buffered since login when it sees it.
 */
final class LoginFlow {

    private final ServerConnection conn;
    private final Liveness liveness;
    private final Set<String> backlogAwaitingAck = new LinkedHashSet<>();
    private int backlogCount;
    private boolean offlineSent;

    LoginFlow(ServerConnection conn, Liveness liveness) {
        this.conn = conn;
        this.liveness = liveness;
    }

    /** The client sent a login payload. */
    void start() {
        ClientPayload payload = conn.payload();
        String jid = Accounts.deviceJid(Long.toString(payload.getUsername()), payload.getDevice());
        LinkedDevice device = conn.server().accounts().device(jid);
        if (device == null || !Arrays.equals(device.noisePublicKey(), conn.clientStaticKey())) {
            conn.event(new SimulatorEvent.LoginRejected(conn.origin(), jid));
            // <failure reason="401"/>: Baileys 'CB:failure' -> Boom(statusCode 401) = loggedOut
            conn.endStream(Failure.at(401, "sim").toNode());
            return;
        }
        conn.dispatch(
                new Request.Login(conn.id(), jid),
                () -> serve(jid, device),
                refusal -> conn.event(new SimulatorEvent.LoginRejected(origin(jid), describe(refusal))));
    }

    private void serve(String jid, LinkedDevice device) {
        Optional<Failure> ban = conn.server().accounts().banFailure(jid, conn.now());
        if (ban.isPresent()) {
            conn.event(new SimulatorEvent.LoginRejected(
                    origin(jid), "failure " + ban.get().reason()));
            conn.endStream(ban.get().toNode());
            return;
        }
        conn.loggedIn(jid);
        conn.server().connections().attach(jid, conn).ifPresent(old -> {
            old.run(() -> old.endStream(StreamError.replaced().toNode()));
            conn.event(new SimulatorEvent.Replaced(conn.server().recorder().origin(old.id(), jid), "a newer login"));
        });
        liveness.startPings(); // before <success>: whoever sees it can count on the pings being timed
        conn.send(new Success(
                        conn.now().getEpochSecond(),
                        device.lid(),
                        device.linkedAt().getEpochSecond(),
                        "sim")
                .toNode());
        AckTracker.Replay replay =
                conn.server().acks().replayFor(jid, conn.config().maxAckReplays());
        if (replay.overdue().isPresent()) {
            // a stanza redelivered at every login and never acked: the server ends the stream over it
            Node owed = replay.overdue().get();
            conn.event(new SimulatorEvent.ForceClosed(
                    conn.origin(),
                    "no ack for " + owed.tag() + " " + owed.attr("id") + " after "
                            + conn.config().maxAckReplays() + " replays"));
            conn.endStream(StreamError.ackOwed(owed.tag(), owed.attr("id")).toNode());
            return;
        }
        // what this device still owes an ack for comes first, then queued messages it never received
        List<Node> backlog = new ArrayList<>(replay.stanzas());
        Set<String> replayed = new HashSet<>();
        replay.stanzas().forEach(n -> replayed.add(n.tag() + "/" + n.attr("id")));
        List<Node> waiting = new ArrayList<>(conn.server().accounts().pending(jid).stream()
                .map(Commands::messageNode)
                .toList());
        conn.server().accounts().relayed(jid).forEach(r -> waiting.add(MessageRelay.node(r)));
        for (Node message : waiting) {
            if (replayed.add(message.tag() + "/" + message.attr("id"))) {
                backlog.add(message);
            }
        }
        for (Node stanza : backlog) {
            if ("message".equals(stanza.tag())) {
                backlogAwaitingAck.add(stanza.attr("id"));
            }
            conn.send(stanza);
        }
        if (!replay.stanzas().isEmpty()) {
            conn.event(
                    new SimulatorEvent.Replayed(conn.origin(), replay.stanzas().size()));
        }
        backlogCount = backlogAwaitingAck.size();
        if (backlogAwaitingAck.isEmpty()) {
            sendOffline();
        } else {
            conn.after(conn.config().offlineFlushTimeout(), () -> {
                if (!offlineSent) {
                    sendOffline();
                }
            });
        }
        conn.event(new SimulatorEvent.LoggedIn(conn.origin(), jid));
    }

    /** The device confirmed a message (ack or receipt): the offline marker may go now. */
    void delivered(String messageId) {
        if (backlogAwaitingAck.remove(messageId) && backlogAwaitingAck.isEmpty() && !offlineSent) {
            sendOffline();
        }
    }

    /** Delivers a message now if logged in; false if not. Runs in the connection's mailbox. */
    boolean deliver(Node message) {
        if (conn.stage() != ServerConnection.Stage.LOGGED_IN) {
            return false;
        }
        if (!backlogAwaitingAck.contains(message.attr("id"))) {
            conn.send(message); // else it already went with the login backlog
        }
        return true;
    }

    /** {@code <ib from="s.whatsapp.net"><offline count=N/></ib>}. */
    private void sendOffline() {
        offlineSent = true;
        conn.send(Node.withChildren(
                "ib",
                Map.of("from", Nodes.SERVER),
                List.of(Node.of("offline", Map.of("count", Integer.toString(backlogCount))))));
    }

    private SimulatorEvent.Origin origin(String jid) {
        return conn.server().recorder().origin(conn.id(), jid);
    }

    private static String describe(Node refusal) {
        String reason = refusal.attr("reason");
        return reason != null ? refusal.tag() + " " + reason : refusal.tag() + " " + refusal.attrOr("code", "");
    }
}
