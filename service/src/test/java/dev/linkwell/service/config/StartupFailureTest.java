package dev.linkwell.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.LinkwellApplication;
import dev.linkwell.service.support.TestStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A setting that cannot work stops the start, and the log says which and why first, with no stack trace to dig through. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(
                        "--PORT=-1",
                        "PORT (server.port) must be a TCP port from 1 to 65535 (0 picks a free one), got -1"),
                Arguments.of(
                        "--PORT=70000",
                        "PORT (server.port) must be a TCP port from 1 to 65535 (0 picks a free one), got 70000"),
                Arguments.of(
                        "--linkwell.native.version=2.3000",
                        "linkwell.native.version (env WA_VERSION): '2.3000' is not a version"),
                Arguments.of(
                        "--linkwell.webhooks.secret=short",
                        "Invalid global webhook setting (WEBHOOK_URL, WEBHOOK_EVENTS, WEBHOOK_SECRET)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void aBadSettingStopsTheStartAndIsReportedFirst(String argument, String message, CapturedOutput output) {
        String root = TestStorage.tempRoot("linkwell-startup").toString();

        List<String> args = new ArrayList<>(List.of("--linkwell.storage.root=" + root, argument));
        if (!argument.startsWith("--PORT=")) { // PORT is what users set; application.yml maps it to server.port
            args.add("--server.port=0");
        }

        assertThatThrownBy(() -> new SpringApplicationBuilder(LinkwellApplication.class)
                        .run(args.toArray(String[]::new))
                        .close())
                .hasStackTraceContaining(message);

        String log = output.getOut() + output.getErr();
        int report = log.indexOf("APPLICATION FAILED TO START");
        assertThat(report).as(log).isNotNegative();
        String after = log.substring(report);
        assertThat(after).contains("Description:").contains(message).contains("Action:");
        assertThat(log).as("no stack trace buries the cause").doesNotContain("\tat org.springframework");
    }
}
