package dev.linkwell.simulator;

/**
 * What kind of account a simulated phone is.
 *
 * @param lidAddressed   its messages to linked devices come from its LID ({@code <user>@lid}) with the
 *                       phone number in {@code sender_pn}, as the server sends one-to-one messages today
 *                       (whatsmeow message.go parseMessageSource, Baileys 7 Utils/decode-wa-message.js);
 *                       otherwise from its phone-number JID
 * @param hostedBusiness a business account hosted by Meta: its pair-success uses the hosted HMAC and
 *                       signature prefix {@code 06 05} (whatsmeow pair.go handlePair) and names the business
 */
public record PhoneProfile(boolean lidAddressed, boolean hostedBusiness) {

    /** A plain account addressed by phone number. */
    public static final PhoneProfile STANDARD = new PhoneProfile(false, false);
    /** An account whose messages come LID-addressed. */
    public static final PhoneProfile LID = new PhoneProfile(true, false);
    /** A hosted business account. */
    public static final PhoneProfile HOSTED_BUSINESS = new PhoneProfile(false, true);
}
