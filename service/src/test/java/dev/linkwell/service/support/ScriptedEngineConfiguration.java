package dev.linkwell.service.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Registers the {@link ScriptedEngine} the way a real engine registers: as a Spring bean. */
@TestConfiguration(proxyBeanMethods = false)
public class ScriptedEngineConfiguration {

    @Bean
    ScriptedEngine scriptedEngine() {
        return new ScriptedEngine();
    }
}
