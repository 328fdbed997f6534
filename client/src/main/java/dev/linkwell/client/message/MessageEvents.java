package dev.linkwell.client.message;

import dev.linkwell.client.store.LidMap;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns an inbound message into the JSON-ready data of a {@code session.message} event. */
public final class MessageEvents {

    /** The {@code type} of a message that could not be decrypted after every retry. */
    public static final String UNDECRYPTABLE = "undecryptable";

    private MessageEvents() {}

    /**
     * {@code id}, {@code chat}, {@code from} (the sender's address as sent), {@code fromPn} when the sender is a
     * LID and its phone number is known (from the stanza or learned before), {@code fromLid} when the sender is a
     * phone number and the stanza names its LID, {@code fromMe}, {@code timestamp}, {@code pushName},
     * {@code type} ({@link MessageContent#type}), {@code text} when there is text, and {@code raw}: the whole
     * decrypted Message protobuf as JSON ({@link ProtoJson}).
     */
    public static Map<String, Object> of(Node stanza, MessageSource source, LidMap lids, Message message) {
        Map<String, Object> data = envelope(stanza, source, lids);
        data.put("type", MessageContent.type(message));
        String text = MessageContent.text(message);
        if (text != null) {
            data.put("text", text);
        }
        data.put("raw", ProtoJson.toMap(message));
        return data;
    }

    /** A message that did not decrypt after every retry: the envelope fields and {@code type: "undecryptable"}. */
    public static Map<String, Object> undecryptable(Node stanza, MessageSource source, LidMap lids) {
        Map<String, Object> data = envelope(stanza, source, lids);
        data.put("type", UNDECRYPTABLE);
        return data;
    }

    private static Map<String, Object> envelope(Node stanza, MessageSource source, LidMap lids) {
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
