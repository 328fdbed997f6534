package dev.linkwell.service.web;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets an encoded slash ({@code %2F}) reach the application still encoded, so a path such as
 * {@code /sessions/..%2F..%2Fetc} is refused by the session id check with a problem detail instead of
 * Tomcat's bare HTML 400. The id check then rejects it: a slash never matches the id pattern.
 */
@Configuration(proxyBeanMethods = false)
class EncodedSlashConfiguration {

    @Bean
    TomcatConnectorCustomizer passEncodedSlashes() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
