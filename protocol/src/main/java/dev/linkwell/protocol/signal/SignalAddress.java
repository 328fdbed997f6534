package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.jid.JidServer;
import java.util.Objects;

/**
 * A Signal protocol address, {@code name.device}, where name is {@code user} or {@code user_agent}, as
 * Baileys 7.0.0-rc14 ({@code Signal/libsignal.js jidToSignalProtocolAddress}) and whatsmeow
 * ({@code types/jid.go SignalAddress}) build it from a JID: {@code 5511999.0} is a phone's primary
 * device, {@code 5511999.3} one of its companions, {@code 1234567_1.0} a LID user (agent 1),
 * {@code 55_128.99} a hosted device.
 *
 * @param name   user, or user_agent; never empty, never contains '.'
 * @param device device id, 0 for the primary device (0..65535)
 */
public record SignalAddress(String name, int device) {

    /** Agent of LID users (whatsmeow HiddenUserServer, Baileys WAJIDDomains.LID). */
    static final int LID_AGENT = 1;
    /** Agent of hosted (Cloud API) phone numbers (Baileys WAJIDDomains.HOSTED). */
    static final int HOSTED_AGENT = 128;
    /** Agent of hosted LIDs (Baileys WAJIDDomains.HOSTED_LID). */
    static final int HOSTED_LID_AGENT = 129;

    public SignalAddress {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('.') >= 0) {
            throw new IllegalArgumentException("bad Signal address name: " + name);
        }
        if (device < 0 || device > 65535) {
            throw new IllegalArgumentException("Signal device id out of range: " + device);
        }
    }

    /**
     * The address of a user or device JID. The agent suffix follows the server as whatsmeow's
     * {@code ActualAgent} does: none on s.whatsapp.net, 1 on lid, 128 on hosted, 129 on hosted.lid,
     * otherwise the JID's own agent.
     */
    public static SignalAddress of(Jid jid) {
        Objects.requireNonNull(jid, "jid");
        if (jid.user().isEmpty()) {
            throw new IllegalArgumentException("JID has no user: " + jid);
        }
        int agent = switch (jid.server()) {
            case JidServer.USER -> 0;
            case JidServer.LID -> LID_AGENT;
            case JidServer.HOSTED -> HOSTED_AGENT;
            case JidServer.HOSTED_LID -> HOSTED_LID_AGENT;
            default -> jid.agent();
        };
        String name = agent == 0 ? jid.user() : jid.user() + "_" + agent;
        return new SignalAddress(name, jid.device());
    }

    /** Parses {@code name.device}; a {@link SignalException} when it is not one. */
    public static SignalAddress parse(String s) {
        Objects.requireNonNull(s, "address");
        int dot = s.lastIndexOf('.');
        if (dot <= 0 || dot == s.length() - 1 || s.length() - dot - 1 > 5 || s.indexOf('.') != dot) {
            throw new SignalException("not a Signal address: " + s);
        }
        int device = 0;
        for (int i = dot + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SignalException("not a Signal address: " + s);
            }
            device = device * 10 + (c - '0');
        }
        if (device > 65535) {
            throw new SignalException("Signal device id out of range: " + s);
        }
        return new SignalAddress(s.substring(0, dot), device);
    }

    @Override
    public String toString() {
        return name + "." + device;
    }
}
