package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user sync query: {@code <iq xmlns="usync" type="get"><usync sid mode context last="true" index="0"><query>
 * protocols</query><list><user jid/>..</list></usync></iq>}, answered with {@code <usync><list><user jid>one child
 * per protocol</user>..</list></usync>} (whatsmeow user.go usync at 33cfac5; Baileys 7.0.0-rc14
 * lib/WAUSync/USyncQuery.js). Three protocols are modelled:
 * <ul>
 *   <li>{@code <devices version="2"/>}: {@code <devices><device-list><device id [key-index] [is_hosted]/>..
 *       </device-list></devices>}; device 0 is the phone, every other device comes with its {@code key-index}
 *       (Baileys Utils/signal.js extractDeviceJids drops a companion without one: "produces a bad req otherwise";
 *       whatsmeow user.go parseDeviceList).</li>
 *   <li>{@code <lid/>}: {@code <lid val="user@lid"/>}, or an empty {@code <lid/>} when the server knows none
 *       (whatsmeow GetUserInfo, Baileys UsyncLIDProtocol).</li>
 *   <li>{@code <contact/>}: a user named by phone number, {@code <user><contact>+number</contact></user>}
 *       (Baileys onWhatsApp; whatsmeow IsOnWhatsApp writes {@code +number@c.us}), answered
 *       {@code <user jid><contact type="in|out">the query</contact></user>}: {@code in} when the number has an
 *       account (whatsmeow reads {@code type == "in"}, Baileys USyncContactProtocol the same).</li>
 * </ul>
 * Before sending a message both clients ask the devices (with {@code context="message"}, {@code mode="query"})
 * of the recipient and of their own account; Baileys 7 asks the LID in the same query (messages-send.js
 * getUSyncDevices).
 */
public final class Usync {

    public static final String XMLNS = "usync";
    public static final String DEVICES = "devices";
    public static final String LID = "lid";
    public static final String CONTACT = "contact";

    private Usync() {}

    /** One device of a user; {@code keyIndex} 0 for the phone (device 0), which carries none. */
    public record Device(int id, int keyIndex, boolean hosted) {}

    /**
     * One user of an answer, as the query named it.
     *
     * @param lid     the user's LID, when the {@code lid} protocol was asked and the server knows one
     * @param devices the device list, when the {@code devices} protocol was asked (empty list: none)
     * @param contact for the {@code contact} protocol: the query it answers, and whether the number has an account
     */
    public record User(String jid, Optional<String> lid, Optional<List<Device>> devices, Optional<Contact> contact) {
        public User {
            devices = devices.map(List::copyOf);
        }

        public User(String jid, Optional<String> lid, Optional<List<Device>> devices) {
            this(jid, lid, devices, Optional.empty());
        }
    }

    /** A {@code <contact>} answer: the query as asked, and {@code type="in"} (an account) or {@code "out"}. */
    public record Contact(String query, boolean in) {}

    /**
     * One {@code <user>} of a query.
     *
     * @param jid     its {@code jid}, or null (a contact query names a number instead)
     * @param contact the text of its {@code <contact>} child, or null
     */
    public record Asked(String jid, String contact) {}

    /**
     * What a client asked, as the server reads it.
     *
     * @param protocols the tags under {@code <query>}, in order
     * @param users     each {@code <user>}
     */
    public record Request(String sid, String mode, String context, List<String> protocols, List<Asked> users) {
        public Request {
            protocols = List.copyOf(protocols);
            users = List.copyOf(users);
        }

        /** Reads the query of a usync iq; a {@link ProtocolException} when it lacks {@code <usync>}, its query or list. */
        public static Request from(Node iq) {
            Node usync = iq.child("usync");
            Node query = usync == null ? null : usync.child("query");
            Node list = usync == null ? null : usync.child("list");
            if (query == null || list == null) {
                throw new ProtocolException("usync query without <usync><query/><list/>");
            }
            List<String> protocols = children(query).stream().map(Node::tag).toList();
            List<Asked> users = new ArrayList<>();
            for (Node user : children(list)) {
                if (user.tag().equals("user")) {
                    Node contact = user.child(CONTACT);
                    String text = contact == null || !contact.hasContent() ? null : contact.contentString();
                    users.add(new Asked(user.attr("jid"), text));
                }
            }
            return new Request(usync.attr("sid"), usync.attr("mode"), usync.attr("context"), protocols, users);
        }
    }

    /**
     * A client's device query for sending ({@code mode="query" context="message"}), asking the devices and the
     * LID of each user; {@code users} are user JIDs without device.
     */
    public static Node deviceQuery(String id, String sid, List<Jid> users) {
        List<Node> list = users.stream()
                .map(u -> Node.of("user", Stanzas.attrs("jid", u.toNonAd().toString())))
                .toList();
        Node usync = Node.withChildren(
                "usync",
                Stanzas.attrs("sid", sid, "mode", "query", "last", "true", "index", "0", "context", "message"),
                List.of(
                        Node.withChildren(
                                "query",
                                Map.of(),
                                List.of(Node.of(DEVICES, Stanzas.attrs("version", "2")), Node.of(LID))),
                        Node.withChildren("list", Map.of(), list)));
        return Iq.toServer(id, Iq.GET, XMLNS, usync);
    }

    /**
     * The users of a result, in the server's order; users without a {@code jid} are skipped.
     *
     * @throws ProtocolException when the answer has no {@code <usync><list>} (whatsmeow: ElementMissingError)
     */
    public static List<User> users(Node answer) {
        Node usync = answer.child("usync");
        Node list = usync == null ? null : usync.child("list");
        if (list == null) {
            throw new ProtocolException("usync answer without <usync><list>");
        }
        List<User> users = new ArrayList<>();
        for (Node user : children(list)) {
            String jid = user.attr("jid");
            if (!user.tag().equals("user") || jid == null) {
                continue;
            }
            Node lid = user.child(LID);
            Optional<String> lidValue = lid == null ? Optional.empty() : Optional.ofNullable(lid.attr("val"));
            Node devices = user.child(DEVICES);
            users.add(new User(jid, lidValue, devices == null ? Optional.empty() : Optional.of(devices(devices))));
        }
        return users;
    }

    private static List<Device> devices(Node devicesNode) {
        List<Device> out = new ArrayList<>();
        for (Node device : children(devicesNode.child("device-list"))) {
            int id = Stanzas.parseInt(device.attr("id"), -1);
            if (!device.tag().equals("device") || id < 0 || id > 65535) {
                continue;
            }
            out.add(new Device(
                    id, Stanzas.parseInt(device.attr("key-index"), 0), "true".equals(device.attr("is_hosted"))));
        }
        return out;
    }

    /**
     * The server's answer, {@code <iq type="result"><usync><list>users</list></usync></iq>}, with one child per
     * protocol asked: {@code <devices>} (an empty device list for a user without devices) and {@code <lid>} (empty
     * when the user has no known LID).
     */
    public static Node answer(Node query, List<String> protocols, List<User> users) {
        List<Node> list = new ArrayList<>(users.size());
        for (User u : users) {
            List<Node> parts = new ArrayList<>(2);
            for (String protocol : protocols) {
                if (protocol.equals(DEVICES)) {
                    parts.add(devicesNode(u.devices().orElse(List.of())));
                } else if (protocol.equals(LID)) {
                    parts.add(u.lid()
                            .map(l -> Node.of(LID, Stanzas.attrs("val", l)))
                            .orElseGet(() -> Node.of(LID)));
                } else if (protocol.equals(CONTACT) && u.contact().isPresent()) {
                    Contact c = u.contact().get();
                    parts.add(Node.withBytes(
                            CONTACT,
                            Stanzas.attrs("type", c.in() ? "in" : "out"),
                            c.query().getBytes(StandardCharsets.UTF_8)));
                }
            }
            list.add(Node.withChildren("user", Stanzas.attrs("jid", u.jid()), parts));
        }
        return Iq.serverResult(
                query, Node.withChildren("usync", Map.of(), List.of(Node.withChildren("list", Map.of(), list))));
    }

    private static Node devicesNode(List<Device> devices) {
        List<Node> list = new ArrayList<>(devices.size());
        for (Device d : devices) {
            list.add(Node.of(
                    "device",
                    Stanzas.attrs(
                            "id",
                            Integer.toString(d.id()),
                            "key-index",
                            d.id() == 0 ? null : Integer.toString(d.keyIndex()),
                            "is_hosted",
                            d.hosted() ? "true" : null)));
        }
        return Node.withChildren(DEVICES, Map.of(), List.of(Node.withChildren("device-list", Map.of(), list)));
    }

    private static List<Node> children(Node node) {
        return node != null && node.contentKind() == Node.ContentKind.CHILDREN ? node.children() : List.of();
    }
}
