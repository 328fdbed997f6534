package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code <iq xmlns="usync" type="get"><usync sid mode context last index><query><lid/></query><list><user jid/>..
 * </list></usync></iq>}: which LID each phone-number user has. Baileys 7.0.0-rc14 asks it for every new
 * phone-number sender before it decrypts the message (lib/Socket/socket.js pnFromLIDUSync with
 * lib/WAUSync/Protocols/UsyncLIDProtocol.js); whatsmeow asks the same protocol in user.go GetUserInfo @33cfac5.
 *
 * <p>Answer: {@code <iq type="result"><usync><list><user jid="pn@s.whatsapp.net"><lid val="lid@lid"/></user>..
 * </list></usync></iq>} (Baileys reads {@code usync > list > user[jid] > lid[val]}; whatsmeow reads
 * {@code usync > list}, each user's {@code jid} and its {@code lid}'s optional {@code val}). A user named by
 * a number no simulated phone has (or by a LID) gets an empty {@code <lid/>}: no LID known, which both readers
 * accept. Only the
 * {@code lid} protocol is simulated; a query asking any other protocol (devices, contact, status, ...) gets
 * {@code 501 feature-not-implemented}, as every iq the simulator does not know.
 */
final class UsyncQuery implements AccountQuery {

    private final Accounts accounts;

    UsyncQuery(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public boolean handles(Node iq) {
        return AccountQuery.is(iq, "usync", "get", "usync");
    }

    @Override
    public Node answer(Node iq, String deviceJid) {
        Node usync = iq.child("usync");
        Node query = usync.child("query");
        Node list = usync.child("list");
        if (query == null
                || list == null
                || query.contentKind() != Node.ContentKind.CHILDREN
                || query.children().isEmpty()) {
            return Nodes.error(iq, 400, "bad-request");
        }
        if (query.children().stream().anyMatch(p -> !p.tag().equals("lid"))) {
            return Nodes.error(iq, 501, "feature-not-implemented");
        }
        List<Node> users = new ArrayList<>();
        for (Node user : list.contentKind() == Node.ContentKind.CHILDREN ? list.children("user") : List.<Node>of()) {
            String jid = user.attr("jid");
            if (jid == null) {
                return Nodes.error(iq, 400, "bad-request");
            }
            Node lid = lidOf(jid).map(l -> Nodes.node("lid", "val", l)).orElseGet(() -> Node.of("lid"));
            users.add(Node.withChildren("user", Nodes.attrs("jid", jid), List.of(lid)));
        }
        return Nodes.result(iq, Nodes.parent("usync", Nodes.attrs(), Node.withChildren("list", Nodes.attrs(), users)));
    }

    /** The account LID ({@code lidUser@lid}) of the simulated phone with this phone-number JID. */
    private Optional<String> lidOf(String jid) {
        if (!jid.endsWith("@s.whatsapp.net")) {
            return Optional.empty();
        }
        String user = jid.substring(0, jid.indexOf('@'));
        String number = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        return accounts.phoneByNumber(number).map(p -> p.lidUser() + "@lid");
    }
}
