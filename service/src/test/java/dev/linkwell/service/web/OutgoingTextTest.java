package dev.linkwell.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.session.SessionException;
import org.junit.jupiter.api.Test;

class OutgoingTextTest {

    private static OutgoingText of(String to, String text, String id) {
        return OutgoingText.of(new SendMessageBody(to, text, id));
    }

    private static void refused(String to, String text, String id, String detail) {
        assertThatThrownBy(() -> of(to, text, id))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((SessionException) e).kind()).isEqualTo(SessionException.Kind.INVALID));
    }

    @Test
    void aPhoneNumberOrAJidWithoutDeviceIsARecipient() {
        assertThat(of("51987654321", "hi", null).to()).isEqualTo("51987654321@s.whatsapp.net");
        assertThat(of(" 51987654321 ", "hi", null).to()).isEqualTo("51987654321@s.whatsapp.net");
        assertThat(of("51987654321@s.whatsapp.net", "hi", null).to()).isEqualTo("51987654321@s.whatsapp.net");
        assertThat(of("123456789012345@lid", "hi", null).to()).isEqualTo("123456789012345@lid");
        assertThat(of("120363012345678901@g.us", "hi", null).to()).isEqualTo("120363012345678901@g.us");
        assertThat(of("5511999999999-1612345678@g.us", "hi", "order-7").clientId())
                .isEqualTo("order-7");
    }

    @Test
    void badRecipientsAreRefusedWithWhatIsWrong() {
        refused(null, "hi", null, "phone number");
        refused("+51987654321", "hi", null, "no '+'");
        refused("123", "hi", null, "phone number");
        refused("051987654321", "hi", null, "not starting with 0");
        refused("051987654321@s.whatsapp.net", "hi", null, "<number>@s.whatsapp.net");
        refused("51987654321:3@s.whatsapp.net", "hi", null, "not one of its devices");
        refused("status@broadcast", "hi", null, "<group>@g.us");
        refused("abc@s.whatsapp.net", "hi", null, "<number>@s.whatsapp.net");
        refused("12345@newsletter", "hi", null, "<lid>@lid");
        refused("a@b@c", "hi", null, "phone number");
    }

    @Test
    void textMustBePresentAndBounded() {
        refused("51987654321", null, null, "text must be a non-empty string");
        refused("51987654321", "   ", null, "text must be a non-empty string");
        refused("51987654321", "x".repeat(OutgoingText.MAX_TEXT + 1), null, "at most 4096 characters");
        assertThat(of("51987654321", "😀".repeat(OutgoingText.MAX_TEXT), null).text())
                .hasSize(2 * OutgoingText.MAX_TEXT);
    }

    @Test
    void aClientIdIsShortAndPlain() {
        refused("51987654321", "hi", "", "id must match");
        refused("51987654321", "hi", "has space", "id must match");
        refused("51987654321", "hi", "x".repeat(65), "id must match");
        assertThatThrownBy(() -> OutgoingText.of(null)).hasMessageContaining("JSON body");
    }
}
