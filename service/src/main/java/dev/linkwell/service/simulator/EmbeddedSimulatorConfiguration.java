package dev.linkwell.service.simulator;

import dev.linkwell.protocol.version.WaVersion;
import dev.linkwell.service.config.StartupFailure;
import dev.linkwell.service.engine.nativeengine.NativeEngineTarget;
import dev.linkwell.service.storage.StorageRoot;
import dev.linkwell.simulator.AdminApi;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Demo mode ({@code WA_SIMULATOR=embedded}): runs the WhatsApp simulator inside the service, keeps its
 * state (root key, phones, linked devices) under {@code STORAGE_ROOT/simulator/} so a demo survives a
 * restart, aims the native engine at it, and serves its admin API under {@code /simulator/...}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "dev.linkwell.simulator.WaSimulator")
@ConditionalOnProperty(name = "linkwell.simulator.mode", havingValue = "embedded")
@EnableConfigurationProperties(EmbeddedSimulatorProperties.class)
class EmbeddedSimulatorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSimulatorConfiguration.class);

    @Bean(destroyMethod = "close")
    WaSimulator embeddedSimulator(EmbeddedSimulatorProperties props, StorageRoot storage) {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withPort(props.port())
                .withQrRefCount(props.qrRefCount())
                .withQrRefTimeouts(props.firstRefTimeout(), props.nextRefTimeout())
                .withServerPing(props.serverPingInterval(), props.idleTimeout())
                .withMinVersion(minVersion(props.minVersion()));
        // The storage root and this folder are created 0700 here, as everywhere else: the simulator itself would
        // create missing parents with the umask's mode.
        Path stateDir = privateFolder(storage, "simulator");
        WaSimulator sim = WaSimulator.start(config, stateDir);
        log.warn(
                "DEMO MODE: the native engine talks to the embedded WhatsApp simulator at {} (state in {}, minimum client"
                        + " version {}), not to WhatsApp",
                sim.webSocketUrl(),
                stateDir,
                config.minVersion());
        return sim;
    }

    @Bean
    NativeEngineTarget embeddedSimulatorTarget(WaSimulator sim) {
        return new NativeEngineTarget(
                URI.create(sim.webSocketUrl()), sim.trustAnchor().rootPublicKey());
    }

    @Bean
    AdminApi embeddedSimulatorAdminApi(WaSimulator sim) {
        return new AdminApi(sim);
    }

    private static WaVersion minVersion(String configured) {
        if (configured == null || configured.isBlank()) {
            return SimulatorConfig.DEFAULT_MIN_VERSION;
        }
        try {
            return WaVersion.parse(configured.strip());
        } catch (IllegalArgumentException e) {
            throw StartupFailure.badSetting(
                    "linkwell.simulator.min-version (env LINKWELL_SIMULATOR_MINVERSION): " + e.getMessage());
        }
    }

    private static Path privateFolder(StorageRoot storage, String name) {
        try {
            return storage.privateFolder(name);
        } catch (IOException e) {
            throw new StartupFailure(
                    "Cannot create " + storage.path().resolve(name) + " for the embedded simulator: " + e,
                    "Make STORAGE_ROOT writable by this user, or point it elsewhere.",
                    e);
        }
    }
}
