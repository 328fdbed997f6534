package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A message a device sends: {@code <message id to type [extra attributes]><participants><to jid="device"><enc v="2"
 * type="pkmsg|msg">ciphertext</enc></to>..</participants>[<device-identity>ADVSignedDeviceIdentity</device-identity>]
 * </message>}, one {@code <to>} per device of the recipient and of the sender's own account except the sending
 * device (whatsmeow send.go prepareMessageNode / encryptMessageForDevices at 33cfac5; Baileys 7.0.0-rc14
 * Socket/messages-send.js relayMessage / createParticipantNodes). {@code <device-identity>} goes along whenever one
 * {@code <enc>} is a {@code pkmsg}: the receiving device checks the sender's account signature with it (whatsmeow
 * encryptMessageForDevice includeDeviceIdentity; Baileys shouldIncludeDeviceIdentity). The answer to a retry
 * receipt carries a single {@code <enc count=N>} instead of {@code <participants>} (whatsmeow retry.go
 * handleRetryReceipt).
 *
 * @param attrs          {@code id}, {@code to} and {@code type} first, then any others ({@code peer_recipient_pn},
 *                       {@code recipient}, {@code device_fanout}, ...), in order
 * @param participants   one entry per device, empty for a single-device resend
 * @param direct         the single {@code <enc>} ({@link Enc}) of a resend; empty when there are participants
 * @param deviceIdentity the sender's serialized ADVSignedDeviceIdentity, when it goes along
 */
public record OutboundMessage(
        Map<String, String> attrs,
        List<Participant> participants,
        Optional<Enc> direct,
        Optional<byte[]> deviceIdentity) {

    /** {@code <to jid><enc/></to>}: one device's ciphertext. */
    public record Participant(String jid, Enc enc) {}

    public OutboundMessage {
        attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
        participants = List.copyOf(participants);
        deviceIdentity = deviceIdentity.map(byte[]::clone);
    }

    /** A fan-out to several devices. */
    public static OutboundMessage fanOut(
            String id,
            String to,
            String type,
            Map<String, String> extra,
            List<Participant> participants,
            Optional<byte[]> deviceIdentity) {
        Map<String, String> attrs = new LinkedHashMap<>(Stanzas.attrs("id", id, "to", to, "type", type));
        attrs.putAll(extra);
        return new OutboundMessage(attrs, participants, Optional.empty(), deviceIdentity);
    }

    /** A message for one device only, such as the answer to a retry receipt. */
    public static OutboundMessage single(Map<String, String> attrs, Enc enc, Optional<byte[]> deviceIdentity) {
        return new OutboundMessage(attrs, List.of(), Optional.of(enc), deviceIdentity);
    }

    public String id() {
        return attrs.get("id");
    }

    public String to() {
        return attrs.get("to");
    }

    public String type() {
        return attrs.get("type");
    }

    /** Whether any {@code <enc>} is a pre-key message. */
    public boolean hasPreKeyMessage() {
        return direct.map(e -> e.type().equals("pkmsg")).orElse(false)
                || participants.stream().anyMatch(p -> p.enc().type().equals("pkmsg"));
    }

    public Node toNode() {
        List<Node> content = new ArrayList<>(2);
        if (!participants.isEmpty()) {
            List<Node> tos = new ArrayList<>(participants.size());
            for (Participant p : participants) {
                tos.add(Node.withChildren(
                        "to", Stanzas.attrs("jid", p.jid()), List.of(p.enc().toNode())));
            }
            content.add(Node.withChildren("participants", Map.of(), tos));
        }
        direct.ifPresent(e -> content.add(e.toNode()));
        deviceIdentity.ifPresent(d -> content.add(Stanzas.bytes("device-identity", d)));
        return Node.withChildren(Message.TAG, attrs, content);
    }

    /**
     * Reads a device's message, for the server. Attribute checks are the reader's; here only the shape counts.
     *
     * @throws ProtocolException when a {@code <to>} lacks its jid or {@code <enc>}, or an {@code <enc>} its type or bytes
     */
    public static OutboundMessage from(Node message) {
        if (!Message.TAG.equals(message.tag())) {
            throw new ProtocolException("not a message: <" + message.tag() + ">");
        }
        List<Participant> participants = new ArrayList<>();
        Node list = message.child("participants");
        if (list != null && list.contentKind() == Node.ContentKind.CHILDREN) {
            for (Node to : list.children()) {
                Node enc = to.child(Enc.TAG);
                if (!to.tag().equals("to") || to.attr("jid") == null || enc == null) {
                    throw new ProtocolException("<participants> holds a <" + to.tag() + "> without jid or <enc>");
                }
                participants.add(new Participant(to.attr("jid"), enc(enc)));
            }
        }
        Node enc = message.child(Enc.TAG);
        return new OutboundMessage(
                message.attrs(),
                participants,
                enc == null ? Optional.empty() : Optional.of(enc(enc)),
                Optional.ofNullable(Stanzas.childBytes(message, "device-identity")));
    }

    private static Enc enc(Node enc) {
        if (enc.attr("type") == null || enc.contentKind() != Node.ContentKind.BYTES) {
            throw new ProtocolException("<enc> without a type or ciphertext");
        }
        return Enc.from(enc);
    }
}
