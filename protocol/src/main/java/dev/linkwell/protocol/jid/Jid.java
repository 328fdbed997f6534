package dev.linkwell.protocol.jid;

import dev.linkwell.protocol.ProtocolException;
import java.util.Objects;

/**
 * A WhatsApp JID: {@code user[.agent][:device]@server}.
 *
 * <p>String forms accepted by {@link #parse(String)}:
 * <ul>
 *   <li>{@code user@server} (user may be empty: {@code @s.whatsapp.net} is the server itself, as in
 *       Baileys' {@code S_WHATSAPP_NET})</li>
 *   <li>{@code user:device@server} (device 0..65535)</li>
 *   <li>{@code user.agent:device@server} (whatsmeow's form; recognised only when a device part is
 *       present and the agent is canonical decimal 1..255, so other dots stay in the user, as in
 *       {@code a.b@broadcast} or {@code a.b:3@lid})</li>
 * </ul>
 * {@link #toString()} prints the same forms (device omitted when 0 and agent 0), so
 * {@code parse(s).toString().equals(s)} for every canonical string. Baileys' {@code user_agent}
 * form is not interpreted: the underscore stays part of the user.
 *
 * @param user   the user part, possibly empty, never containing '@' or ':'
 * @param agent  the raw agent byte (0 = none)
 * @param device the device id (0 = the main device / a non-device JID)
 * @param server the server, non-empty, never containing '@'
 */
public record Jid(String user, int agent, int device, String server) {

    public static final Jid SERVER = new Jid("", 0, 0, JidServer.USER);
    public static final Jid STATUS_BROADCAST = new Jid("status", 0, 0, JidServer.BROADCAST);

    public Jid {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(server, "server");
        if (server.isEmpty() || server.indexOf('@') >= 0) {
            throw new IllegalArgumentException("bad JID server: " + server);
        }
        if (user.indexOf('@') >= 0 || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad JID user: " + user);
        }
        if (agent < 0 || agent > 255) {
            throw new IllegalArgumentException("agent out of range: " + agent);
        }
        if (device < 0 || device > 65535) {
            throw new IllegalArgumentException("device out of range: " + device);
        }
    }

    public static Jid of(String user, String server) {
        return new Jid(user, 0, 0, server);
    }

    public static Jid of(String user, int device, String server) {
        return new Jid(user, 0, device, server);
    }

    /** Parses a JID string; throws {@link ProtocolException} with the reason when it is not one. */
    public static Jid parse(String s) {
        Objects.requireNonNull(s, "jid");
        int at = s.indexOf('@');
        if (at < 0) {
            throw new ProtocolException("not a JID (no '@'): " + abbreviate(s));
        }
        String server = s.substring(at + 1);
        if (server.isEmpty() || server.indexOf('@') >= 0) {
            throw new ProtocolException("bad JID server in " + abbreviate(s));
        }
        String userPart = s.substring(0, at);
        int colon = userPart.indexOf(':');
        if (colon < 0) {
            return new Jid(userPart, 0, 0, server);
        }
        if (userPart.indexOf(':', colon + 1) >= 0) {
            throw new ProtocolException("more than one ':' in JID " + abbreviate(s));
        }
        int device = parseNumber(userPart.substring(colon + 1), 65535, "device", s);
        String user = userPart.substring(0, colon);
        int agent = 0;
        int dot = user.lastIndexOf('.');
        if (dot >= 0 && isAgent(user, dot + 1)) {
            agent = Integer.parseInt(user, dot + 1, user.length(), 10);
            user = user.substring(0, dot);
        }
        return new Jid(user, agent, device, server);
    }

    /** @return the JID, or null when {@code s} is null or not a JID */
    public static Jid tryParse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return parse(s);
        } catch (ProtocolException e) {
            return null;
        }
    }

    /** 1..255 in canonical decimal: then "user.N:device" is whatsmeow's agent form. */
    private static boolean isAgent(String s, int from) {
        int n = s.length() - from;
        if (n < 1 || n > 3 || s.charAt(from) == '0') {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s, from, s.length(), 10) <= 255;
    }

    private static int parseNumber(String digits, int max, String what, String whole) {
        if (digits.isEmpty() || digits.length() > 5) {
            throw new ProtocolException("bad JID " + what + " in " + abbreviate(whole));
        }
        int v = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("bad JID " + what + " in " + abbreviate(whole));
            }
            v = v * 10 + (c - '0');
        }
        if (v > max) {
            throw new ProtocolException("JID " + what + " out of range in " + abbreviate(whole));
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? '"' + s + '"' : '"' + s.substring(0, 80) + "...\"";
    }

    /** A phone-number user on s.whatsapp.net (any device). */
    public boolean isUser() {
        return JidServer.USER.equals(server);
    }

    /** A LID user (any device). */
    public boolean isLid() {
        return JidServer.LID.equals(server);
    }

    public boolean isGroup() {
        return JidServer.GROUP.equals(server);
    }

    public boolean isBroadcast() {
        return JidServer.BROADCAST.equals(server);
    }

    public boolean isStatusBroadcast() {
        return equals(STATUS_BROADCAST);
    }

    public boolean isNewsletter() {
        return JidServer.NEWSLETTER.equals(server);
    }

    public boolean isHosted() {
        return JidServer.HOSTED.equals(server) || JidServer.HOSTED_LID.equals(server);
    }

    /** True when the JID names a specific device (an "AD" JID). */
    public boolean hasDevice() {
        return device != 0 || agent != 0;
    }

    /** The same JID without agent and device. */
    public Jid toNonAd() {
        return hasDevice() ? new Jid(user, 0, 0, server) : this;
    }

    /** Baileys' {@code jidNormalizedUser}: no device, and {@code c.us} becomes {@code s.whatsapp.net}. */
    public Jid normalizedUser() {
        return new Jid(user, 0, 0, JidServer.LEGACY_USER.equals(server) ? JidServer.USER : server);
    }

    /** Same user and server, ignoring agent and device. */
    public boolean sameUser(Jid other) {
        return other != null && user.equals(other.user) && server.equals(other.server);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(user.length() + server.length() + 12).append(user);
        if (agent != 0) {
            sb.append('.').append(agent).append(':').append(device);
        } else if (device != 0) {
            sb.append(':').append(device);
        }
        return sb.append('@').append(server).toString();
    }
}
