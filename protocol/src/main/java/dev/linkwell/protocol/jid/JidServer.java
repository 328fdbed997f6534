package dev.linkwell.protocol.jid;

/**
 * Known JID servers. Baileys 6.17.16 {@code lib/WABinary/jid-utils.d.ts} ({@code JidServer}) lists
 * c.us, g.us, broadcast, s.whatsapp.net, call, lid, newsletter; whatsmeow {@code types/jid.go} adds
 * hosted, hosted.lid, msgr, interop and bot.
 */
public final class JidServer {

    private JidServer() {}

    public static final String USER = "s.whatsapp.net";
    public static final String LEGACY_USER = "c.us";
    public static final String GROUP = "g.us";
    public static final String BROADCAST = "broadcast";
    public static final String CALL = "call";
    public static final String LID = "lid";
    public static final String NEWSLETTER = "newsletter";
    public static final String HOSTED = "hosted";
    public static final String HOSTED_LID = "hosted.lid";
    public static final String MESSENGER = "msgr";
    public static final String INTEROP = "interop";
    public static final String BOT = "bot";
}
