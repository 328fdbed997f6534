package dev.linkwell.service.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.doctor.ProbeStep;
import dev.linkwell.client.doctor.ProbeStep.Problem;
import dev.linkwell.client.doctor.ProbeStep.Step;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The advice names the setting to change, and depends on where the refused version came from. */
class DoctorAdviceTest {

    private static final String V = "2.3000.1045649367";

    private static DoctorAdvice advice(boolean demo, boolean whatsAppAnchor, String source, String detail) {
        return new DoctorAdvice(
                demo,
                "wss://web.whatsapp.com/ws/chat",
                whatsAppAnchor,
                source,
                detail,
                "https://web.whatsapp.com/sw.js",
                Path.of("/srv/linkwell/wa-version"),
                Duration.ofSeconds(20));
    }

    private static ProbeStep failed(Step step, Problem problem) {
        return new ProbeStep(step, ProbeStep.Status.FAILED, 5, "what happened", problem);
    }

    @ParameterizedTest
    @EnumSource(Problem.class)
    void everyProblemHasAdvice(Problem problem) {
        for (Step step : Step.values()) {
            assertThat(advice(false, true, "built-in", "built-in; x").forFailure(failed(step, problem), V))
                    .as(step + " " + problem)
                    .isNotBlank();
        }
    }

    @Test
    void anOutdatedVersionSaysWhatToChangeForEachSource() {
        ProbeStep outdated = failed(Step.VERSION, Problem.CLIENT_OUTDATED);
        assertThat(advice(false, true, "configured", "set by WA_VERSION").forFailure(outdated, V))
                .startsWith("The server refuses version " + V + " as outdated (405). WA_VERSION pins it");
        assertThat(advice(false, true, "built-in", "built-in; fetching https://web.whatsapp.com/sw.js failed: HTTP 403")
                        .forFailure(outdated, V))
                .contains(
                        "It is the built-in version (built-in; fetching https://web.whatsapp.com/sw.js failed: HTTP 403)",
                        "Let this machine reach https://web.whatsapp.com/sw.js",
                        "set WA_VERSION");
        assertThat(advice(
                                false,
                                true,
                                "cache",
                                "cached; fetched from https://web.whatsapp.com/sw.js at 2026-11-30T10:00:00Z")
                        .forFailure(outdated, V))
                .contains("delete /srv/linkwell/wa-version and restart");
        assertThat(advice(false, true, "request", "given with the version parameter")
                        .forFailure(outdated, V))
                .contains("Try without the version parameter");
        assertThat(advice(true, false, "built-in", "built-in; demo mode").forFailure(outdated, V))
                .contains("LINKWELL_SIMULATOR_MINVERSION");
    }

    @Test
    void aChainNotSignedByTheAnchorPointsAtTheAnchorSetting() {
        ProbeStep untrusted = failed(Step.CERTIFICATE, Problem.UNTRUSTED_CERTIFICATE);
        assertThat(advice(false, true, "fetched", "x").forFailure(untrusted, V))
                .contains("not WhatsApp", "Do not link");
        assertThat(advice(false, false, "fetched", "x").forFailure(untrusted, V))
                .contains("leave WA_TRUST_ANCHOR unset", "GET /trust-anchor");
    }

    @Test
    void noAnswerDependsOnTheStep() {
        DoctorAdvice a = advice(false, true, "fetched", "x");
        assertThat(a.forFailure(failed(Step.WEBSOCKET, Problem.NO_ANSWER), V))
                .startsWith("Nothing answered within 20 s");
        assertThat(a.forFailure(failed(Step.NOISE, Problem.NO_ANSWER), V)).contains("not WhatsApp's");
        assertThat(a.forFailure(failed(Step.PAIR_DEVICE, Problem.NO_ANSWER), V)).contains("ENGINE_DEBUG=true");
    }
}
