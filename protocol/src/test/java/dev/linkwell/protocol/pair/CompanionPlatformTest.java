package dev.linkwell.protocol.pair;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompanionPlatformTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Chrome (Linux)",
                "Chrome (Mac OS)",
                "Firefox (Windows)",
                "Edge (Windows)",
                "Safari (iOS)",
                "Opera (Android)",
                "IE (Windows)"
            })
    void commonBrowserAndOsPass(String display) {
        assertThat(CompanionPlatform.problemWithDisplay(display)).isEmpty();
    }

    /** "Chrome (Veloz)" got bad-request from the live server (whatsapp-rust PR #979); the rest are malformed. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "Chrome (Veloz)",
                "Chrome (Acme)",
                "Chrome (Ubuntu)",
                "Linkwell (Linux)",
                "Chrome(Linux)",
                "chrome (linux)",
                "Chrome (Linux) ",
                "Chrome",
                "",
                "Chrome (Linux)\\n"
            })
    void anythingElseIsRefusedWithAReason(String display) {
        assertThat(CompanionPlatform.problemWithDisplay(display.replace("\\n", "\n")))
                .isPresent();
    }

    @Test
    void clientTypeIdsAreWhatsmeows() {
        assertThat(CompanionPlatform.clientTypeId("Chrome")).contains("1");
        assertThat(CompanionPlatform.clientTypeId("firefox")).contains("3");
        assertThat(CompanionPlatform.clientTypeId("Safari")).contains("6");
        assertThat(CompanionPlatform.clientTypeId("Linkwell")).isEmpty();
        assertThat(CompanionPlatform.isKnownClientTypeId("9")).isTrue();
        assertThat(CompanionPlatform.isKnownClientTypeId("e")).isTrue();
        assertThat(CompanionPlatform.isKnownClientTypeId("49"))
                .as("Baileys 6's char-code form, refused")
                .isFalse();
        assertThat(CompanionPlatform.isKnownClientTypeId("")).isFalse();
        assertThat(CompanionPlatform.isKnownClientTypeId("a")).isFalse();
        assertThat(CompanionPlatform.isKnownClientTypeId(null)).isFalse();
        assertThat(CompanionPlatform.browserOf("Opera (Android)")).isEqualTo("Opera");
    }
}
