package dev.linkwell.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class LoggingEnvironmentPostProcessorTest {

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", variables));
        new LoggingEnvironmentPostProcessor().postProcessEnvironment(environment, null);
        return environment;
    }

    @Test
    void logFormatJsonSelectsStructuredEcs() {
        assertThat(environment(Map.of("LOG_FORMAT", "json")).getProperty("logging.structured.format.console"))
                .isEqualTo("ecs");
        assertThat(environment(Map.of("LOG_FORMAT", "logstash")).getProperty("logging.structured.format.console"))
                .isEqualTo("logstash");
        assertThat(environment(Map.of("LOG_FORMAT", "text")).getProperty("logging.structured.format.console"))
                .isNull();
        assertThat(environment(Map.of()).getProperty("logging.structured.format.console"))
                .isNull();
    }

    @Test
    void engineDebugSwitchesTurnOnDebugForTheEnginePackages() {
        for (String value : new String[] {"true", "1", "on", "ON"}) {
            assertThat(environment(Map.of("ENGINE_DEBUG", value)).getProperty("logging.level.dev.linkwell.client"))
                    .isEqualTo("DEBUG");
            assertThat(environment(Map.of("BAILEYS_DEBUG", value))
                            .getProperty("logging.level.dev.linkwell.service.engine"))
                    .isEqualTo("DEBUG");
        }
        assertThat(environment(Map.of("ENGINE_DEBUG", "false")).getProperty("logging.level.dev.linkwell.client"))
                .isNull();
    }

    @Test
    void baileysOwnLinesShowFromWarnAndFromDebugWithTheSwitch() {
        assertThat(environment(Map.of()).getProperty("logging.level.baileys")).isEqualTo("WARN");
        assertThat(environment(Map.of("BAILEYS_DEBUG", "yes")).getProperty("logging.level.baileys"))
                .isEqualTo("DEBUG");
        assertThat(environment(Map.of("ENGINE_DEBUG", "true")).getProperty("logging.level.baileys"))
                .isEqualTo("DEBUG");
        assertThat(environment(Map.of("BAILEYS_DEBUG", "1", "logging.level.baileys", "TRACE"))
                        .getProperty("logging.level.baileys"))
                .isEqualTo("TRACE");
    }

    @Test
    void explicitLoggingSettingsWin() {
        StandardEnvironment environment =
                environment(Map.of("ENGINE_DEBUG", "1", "logging.level.dev.linkwell.client", "TRACE"));
        assertThat(environment.getProperty("logging.level.dev.linkwell.client")).isEqualTo("TRACE");
    }
}
