package dev.linkwell.service.web;

import dev.linkwell.service.config.StartupFailure;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Refuses a port no listener can have. Spring Boot reads {@code server.port=-1} as "no HTTP listener at all",
 * which for this service means running with nothing to talk to.
 */
@Component
class ServerPortCheck implements WebServerFactoryCustomizer<AbstractConfigurableWebServerFactory> {

    @Override
    public void customize(AbstractConfigurableWebServerFactory factory) {
        int port = factory.getPort();
        if (port < 0 || port > 65_535) {
            throw StartupFailure.badSetting(
                    "PORT (server.port) must be a TCP port from 1 to 65535 (0 picks a free one), got " + port);
        }
    }
}
