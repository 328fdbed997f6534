package dev.linkwell.simulator;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Usync;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <iq xmlns="usync" type="get">} ({@link Usync}): the LID and the devices of users. Baileys 7.0.0-rc14 asks
 * the LID of every new phone-number sender before it decrypts its message (lib/Socket/socket.js pnFromLIDUSync),
 * and the devices and LID of the recipient and of its own account before it sends (Socket/messages-send.js
 * getUSyncDevices); whatsmeow asks the same protocols in user.go GetUserInfo / GetUserDevices @33cfac5.
 *
 * <p>A user is named by phone number ({@code number[:device]@s.whatsapp.net}) or LID ({@code lid[:device]@lid});
 * the answer keeps the name as asked. A simulated phone's devices are the phone itself (device 0, no key index)
 * and its linked companions with the key index the phone gave each; its LID is {@code lidUser@lid}, and a LID user
 * has no further LID. [I] A number no phone has gets an empty device list and an empty {@code <lid/>}: no account,
 * which both clients read as "nothing to send to" (whatsmeow then fails with "no LID found"). A contact query
 * ({@code <user><contact>+number</contact></user>}, Baileys' onWhatsApp) is answered for the number with its JID
 * and {@code type="in"} when a phone has it, else {@code "out"}. Other protocols (status, picture, ...) get
 * {@code 501 feature-not-implemented}, as every iq the simulator does not know.
 */
final class UsyncQuery implements AccountQuery {

    private static final Set<String> SIMULATED = Set.of(Usync.LID, Usync.DEVICES, Usync.CONTACT);

    private final Accounts accounts;

    UsyncQuery(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public boolean handles(Node iq) {
        return AccountQuery.is(iq, Usync.XMLNS, "get", "usync");
    }

    @Override
    public Node answer(Node iq, String deviceJid) {
        Usync.Request request;
        try {
            request = Usync.Request.from(iq);
        } catch (ProtocolException e) {
            return Nodes.error(iq, 400, "bad-request");
        }
        if (request.protocols().isEmpty()) {
            return Nodes.error(iq, 400, "bad-request");
        }
        if (!SIMULATED.containsAll(request.protocols())) {
            return Nodes.error(iq, 501, "feature-not-implemented");
        }
        List<Usync.User> users = new ArrayList<>();
        for (Usync.Asked asked : request.users()) {
            String number = asked.jid() == null ? number(asked.contact()) : null;
            String jid = asked.jid() != null ? asked.jid() : number == null ? null : number + "@s.whatsapp.net";
            if (jid == null) {
                return Nodes.error(iq, 400, "bad-request");
            }
            Optional<Phone> phone = account(jid);
            Optional<String> lid = phone.filter(p -> !jid.endsWith("@lid")).map(Phone::lid);
            Optional<Usync.Contact> contact =
                    Optional.ofNullable(asked.contact()).map(query -> new Usync.Contact(query, phone.isPresent()));
            users.add(new Usync.User(
                    jid, lid, Optional.of(phone.map(this::devices).orElse(List.of())), contact));
        }
        return Usync.answer(iq, request.protocols(), users);
    }

    /** The digits of a contact query ({@code +number}, or whatsmeow's {@code +number@c.us}), or null. */
    private static String number(String query) {
        if (query == null) {
            return null;
        }
        String digits = query.strip().replaceFirst("^\\+", "").replaceFirst("@c\\.us$", "");
        return digits.matches("[0-9]{7,15}") ? digits : null;
    }

    /** The simulated phone whose account this phone-number or LID user (any device) names. */
    private Optional<Phone> account(String jid) {
        Jid parsed = Jid.tryParse(jid);
        if (parsed == null) {
            return Optional.empty();
        }
        if (parsed.isUser()) {
            return accounts.phoneByNumber(parsed.user());
        }
        return parsed.isLid() ? accounts.phoneByLidUser(parsed.user()) : Optional.empty();
    }

    private List<Usync.Device> devices(Phone phone) {
        List<Usync.Device> devices = new ArrayList<>();
        devices.add(new Usync.Device(0, 0, false));
        for (LinkedDevice d : phone.linkedDevices()) {
            devices.add(new Usync.Device(d.deviceId(), d.keyIndex(), false));
        }
        return devices;
    }
}
