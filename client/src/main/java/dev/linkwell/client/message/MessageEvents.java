package dev.linkwell.client.message;

import dev.linkwell.client.store.LidMap;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a readable inbound message into the JSON-ready data of a {@code session.message} event. */
public final class MessageEvents {

    private MessageEvents() {}

    /**
     * {@code id}, {@code chat}, {@code from} (the sender's address as sent), {@code fromPn} when the
     * sender is a LID and its phone number is known (from the stanza or learned before), {@code fromLid}
     * when the sender is a phone number and the stanza names its LID, {@code fromMe}, {@code timestamp},
     * {@code pushName}, {@code type} and {@code text} when there is text.
     */
    public static Map<String, Object> of(Node stanza, MessageSource source, LidMap lids, Message message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", stanza.attrOr("id", ""));
        data.put("chat", source.chat().toString());
        data.put("from", source.sender().toString());
        if (source.sender().isLid()) {
            Jid pn = source.senderPhoneNumber();
            if (pn == null) {
                pn = lids.phoneNumberOf(source.sender()).orElse(null);
            }
            if (pn != null) {
                data.put("fromPn", pn.toNonAd().toString());
            }
        } else if (source.senderLid() != null) {
            data.put("fromLid", source.senderLid().toNonAd().toString());
        }
        data.put("fromMe", source.fromMe());
        data.put("timestamp", parseLong(stanza.attr("t")));
        String pushName = stanza.attr("notify");
        if (pushName != null) {
            data.put("pushName", pushName);
        }
        data.put("type", stanza.attrOr("type", "text"));
        String text = message.hasConversation()
                ? message.getConversation()
                : message.hasExtendedTextMessage()
                        ? message.getExtendedTextMessage().getText()
                        : null;
        if (text != null) {
            data.put("text", text);
        }
        return data;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
