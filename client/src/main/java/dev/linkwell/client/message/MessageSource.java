package dev.linkwell.client.message;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import java.util.Objects;

/**
 * Who sent a message stanza and in which chat, with the other form of the sender's address when the
 * stanza names it: a LID sender comes with its phone number ({@code sender_pn}, {@code participant_pn}),
 * a phone-number sender may come with its LID ({@code sender_lid}, {@code participant_lid}).
 *
 * <p>Rules from whatsmeow message.go parseMessageSource (33cfac5) and Baileys 7.0.0-rc14
 * Utils/decode-wa-message.js: a group or broadcast {@code from} is the chat and {@code participant} the
 * sender, whose other form is {@code participant_pn} when {@code addressing_mode="lid"}, else
 * {@code participant_lid}; a {@code from} of our own account (phone number or LID) is a message we sent
 * from another device, in the chat {@code recipient} (else ourselves), with {@code peer_recipient_pn} /
 * {@code peer_recipient_lid}; otherwise {@code from} is both chat (without device) and sender, with
 * {@code sender_pn} for a LID sender and {@code sender_lid} for a phone-number one. Hosted servers
 * count as their plain counterparts.
 *
 * @param chat      the conversation (group, broadcast, or the other user without device)
 * @param sender    the sending device's address, as sent
 * @param senderAlt the other form of the sender's address, or null when the stanza does not name it
 * @param fromMe    sent by our own account from another of its devices
 * @param group     a group or broadcast chat
 */
public record MessageSource(Jid chat, Jid sender, Jid senderAlt, boolean fromMe, boolean group) {

    public MessageSource {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(sender, "sender");
    }

    /**
     * @param me    our own device JID (phone-number form), may be null before pairing
     * @param myLid our own LID, may be null
     * @return null when {@code from} is missing or not a JID
     */
    public static MessageSource of(Node stanza, String me, String myLid) {
        Jid from = Jid.tryParse(stanza.attr("from"));
        if (from == null) {
            return null;
        }
        Jid self = Jid.tryParse(me);
        Jid selfLid = Jid.tryParse(myLid);
        if (from.isGroup() || from.isBroadcast()) {
            Jid participant = Jid.tryParse(stanza.attr("participant"));
            Jid sender = participant == null ? from : participant;
            boolean lidMode = "lid".equals(stanza.attr("addressing_mode"));
            Jid alt = Jid.tryParse(stanza.attr(lidMode ? "participant_pn" : "participant_lid"));
            boolean mine = sameUser(sender, self) || sameUser(sender, selfLid);
            return new MessageSource(from, sender, withDevice(alt, sender), mine, true);
        }
        Jid plain = plainServer(from);
        if (sameUser(plain, self) || sameUser(plain, selfLid)) {
            Jid recipient = Jid.tryParse(stanza.attr("recipient"));
            Jid chat = recipient != null ? recipient : plain.toNonAd();
            return new MessageSource(chat, plain, null, true, false);
        }
        Jid alt = Jid.tryParse(stanza.attr(plain.isLid() ? "sender_pn" : "sender_lid"));
        return new MessageSource(plain.toNonAd(), plain, withDevice(alt, plain), false, false);
    }

    /** The phone-number form of the sender, when known: the sender itself or its named alternative. */
    public Jid senderPhoneNumber() {
        if (sender.isUser()) {
            return sender;
        }
        return senderAlt != null && senderAlt.isUser() ? senderAlt : null;
    }

    /** The LID form of the sender, when known. */
    public Jid senderLid() {
        if (sender.isLid()) {
            return sender;
        }
        return senderAlt != null && senderAlt.isLid() ? senderAlt : null;
    }

    private static boolean sameUser(Jid a, Jid b) {
        return a != null
                && b != null
                && a.user().equals(b.user())
                && plainServer(a).server().equals(plainServer(b).server());
    }

    /** hosted -> s.whatsapp.net, hosted.lid -> lid (whatsmeow parseMessageSource does the same). */
    private static Jid plainServer(Jid j) {
        return switch (j.server()) {
            case "hosted" -> new Jid(j.user(), j.agent(), j.device(), "s.whatsapp.net");
            case "hosted.lid" -> new Jid(j.user(), j.agent(), j.device(), "lid");
            default -> j;
        };
    }

    /** whatsmeow: an alternative address without device takes the sender's device. */
    private static Jid withDevice(Jid alt, Jid sender) {
        if (alt == null || alt.device() != 0 || sender.device() == 0) {
            return alt;
        }
        return new Jid(alt.user(), alt.agent(), sender.device(), alt.server());
    }
}
