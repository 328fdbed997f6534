package dev.linkwell.service.web;

import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.service.session.SessionException;
import java.util.regex.Pattern;

/**
 * A text message to send, checked at the edge.
 *
 * @param to       the recipient as a JID without device: {@code <number>@s.whatsapp.net}, {@code <lid>@lid} or a
 *                 group {@code <id>@g.us}
 * @param text     1 to {@link #MAX_TEXT} characters, not only spaces
 * @param clientId the caller's own id for the message, for idempotency; null when none was given
 */
record OutgoingText(String to, String text, String clientId) {

    static final int MAX_TEXT = 4096;
    static final Pattern PHONE = Pattern.compile("[1-9][0-9]{6,14}");
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern LID_USER = Pattern.compile("[0-9]{1,20}");
    private static final Pattern GROUP_USER = Pattern.compile("[0-9]{1,20}(-[0-9]{1,12})?");

    /** Checks the body of {@code POST /sessions/{id}/messages}; 400 with what is wrong otherwise. */
    static OutgoingText of(SendMessageBody body) {
        if (body == null) {
            throw bad("a JSON body {\"to\": ..., \"text\": ...} is required");
        }
        String to = recipient(body.to());
        String text = body.text();
        if (text == null || text.isBlank()) {
            throw bad("text must be a non-empty string");
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw bad("text must be at most " + MAX_TEXT + " characters");
        }
        if (body.id() != null && !CLIENT_ID.matcher(body.id()).matches()) {
            throw bad(
                    "id must match " + CLIENT_ID.pattern() + " (your own id for this message; the same id sends once)");
        }
        return new OutgoingText(to, text, body.id());
    }

    /** A phone number (digits, country code first) or a JID, as the JID to send to. */
    static String recipient(String to) {
        if (to == null || to.isBlank()) {
            throw bad(
                    "to must be a phone number (7 to 15 digits, country code first (so not starting with 0), no '+') or a JID");
        }
        String clean = to.strip();
        if (PHONE.matcher(clean).matches()) {
            return clean + "@s.whatsapp.net";
        }
        Jid jid = clean.indexOf('@') > 0 ? Jid.tryParse(clean) : null;
        if (jid == null) {
            throw bad(
                    "to must be a phone number (7 to 15 digits, country code first (so not starting with 0), no '+') or a JID such as "
                            + "51987654321@s.whatsapp.net; got " + quote(clean));
        }
        if (jid.device() != 0 || jid.agent() != 0) {
            throw bad("to must name a user or group, not one of its devices; got " + quote(clean));
        }
        boolean valid = switch (jid.server()) {
            case "s.whatsapp.net" -> PHONE.matcher(jid.user()).matches();
            case "lid" -> LID_USER.matcher(jid.user()).matches();
            case "g.us" -> GROUP_USER.matcher(jid.user()).matches();
            default -> false;
        };
        if (!valid) {
            throw bad("to must be <number>@s.whatsapp.net, <lid>@lid or <group>@g.us; got " + quote(clean));
        }
        return jid.toString();
    }

    private static SessionException bad(String detail) {
        return new SessionException(SessionException.Kind.INVALID, "Invalid message", detail);
    }

    private static String quote(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
