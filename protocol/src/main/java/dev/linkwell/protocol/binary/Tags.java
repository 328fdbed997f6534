package dev.linkwell.protocol.binary;

/**
 * Tag bytes of the WhatsApp Web binary node format.
 *
 * <p>Source: whatsmeow {@code binary/token/token.go} at 33cfac5 (type tokens) and Baileys
 * 7.0.0-rc14 {@code lib/WABinary/constants.js} ({@code TAGS}) name the same numbers. Tags 240..244
 * are unassigned; 245 and 246 appear on today's wire (Baileys 6.17.16 did not know them).
 */
public final class Tags {

    private Tags() {}

    public static final int LIST_EMPTY = 0;
    /** Single-byte tokens occupy 1..235 (index into {@code SINGLE_BYTE_TOKENS}). */
    public static final int SINGLE_BYTE_MAX = 235;

    public static final int DICTIONARY_0 = 236;
    public static final int DICTIONARY_1 = 237;
    public static final int DICTIONARY_2 = 238;
    public static final int DICTIONARY_3 = 239;
    /** {@code user, device (uint16), integrator (uint16), server "interop"} (whatsmeow readInteropJID). */
    public static final int INTEROP_JID = 245;
    /** {@code user, device (uint16), server "msgr"}: a Messenger account (whatsmeow readFBJID). */
    public static final int FB_JID = 246;

    public static final int AD_JID = 247;
    public static final int LIST_8 = 248;
    public static final int LIST_16 = 249;
    public static final int JID_PAIR = 250;
    public static final int HEX_8 = 251;
    public static final int BINARY_8 = 252;
    public static final int BINARY_20 = 253;
    public static final int BINARY_32 = 254;
    public static final int NIBBLE_8 = 255;

    /** Longest string (in characters) that may be nibble/hex packed: the length byte keeps 7 bits. */
    public static final int PACKED_MAX = 127;

    /** AD_JID domain types (Baileys jid-utils: 0 user, 1 lid; whatsmeow types/jid.go adds 128, 129). */
    public static final int DOMAIN_WHATSAPP = 0;

    public static final int DOMAIN_LID = 1;
    public static final int DOMAIN_HOSTED = 128;
    public static final int DOMAIN_HOSTED_LID = 129;
}
