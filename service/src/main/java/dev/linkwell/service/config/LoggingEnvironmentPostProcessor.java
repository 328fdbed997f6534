package dev.linkwell.service.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the short logging switches into Spring Boot logging properties before logging starts:
 * {@code LOG_FORMAT=json} selects structured ECS JSON on the console ({@code ecs}, {@code logstash}
 * and {@code gelf} are passed through), and {@code ENGINE_DEBUG} or {@code BAILEYS_DEBUG} set to
 * {@code true}, {@code 1}, {@code on} or {@code yes} log the engine packages at DEBUG. Baileys' own log lines
 * (logger {@code baileys}) are shown from WARN, and from DEBUG with either switch: at INFO Baileys notes every
 * connection step. Explicit {@code logging.*} settings win because this source is added last.
 */
public class LoggingEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "linkwellLoggingSwitches";
    private static final Set<String> STRUCTURED_FORMATS = Set.of("ecs", "logstash", "gelf");
    private static final Set<String> TRUE = Set.of("true", "1", "on", "yes");
    private static final String[] ENGINE_PACKAGES = {"dev.linkwell.client", "dev.linkwell.service.engine"};
    /** The logger the Baileys host's lines go to (BaileysHost.BAILEYS_LOG). */
    static final String BAILEYS_LOGGER = "baileys";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new HashMap<>();
        String format = environment.getProperty("LOG_FORMAT", "").strip().toLowerCase(Locale.ROOT);
        if (format.equals("json")) {
            properties.put("logging.structured.format.console", "ecs");
        } else if (STRUCTURED_FORMATS.contains(format)) {
            properties.put("logging.structured.format.console", format);
        }
        boolean debug = isTrue(environment, "ENGINE_DEBUG") || isTrue(environment, "BAILEYS_DEBUG");
        if (debug) {
            for (String engine : ENGINE_PACKAGES) {
                properties.put("logging.level." + engine, "DEBUG");
            }
        }
        properties.put("logging.level." + BAILEYS_LOGGER, debug ? "DEBUG" : "WARN");
        if (!properties.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties));
        }
    }

    private static boolean isTrue(ConfigurableEnvironment environment, String name) {
        return TRUE.contains(environment.getProperty(name, "").strip().toLowerCase(Locale.ROOT));
    }
}
