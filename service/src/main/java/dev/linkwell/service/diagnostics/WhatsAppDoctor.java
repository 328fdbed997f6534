package dev.linkwell.service.diagnostics;

import dev.linkwell.client.doctor.ProbeReport;
import dev.linkwell.client.doctor.ProbeStep;
import dev.linkwell.client.doctor.ServerProbe;
import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.version.ResolvedVersion;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.version.WaVersion;
import dev.linkwell.service.engine.nativeengine.NativeEngine;
import dev.linkwell.service.engine.nativeengine.NativeEngineProperties;
import dev.linkwell.service.engine.nativeengine.NativeEngineTarget;
import dev.linkwell.service.storage.FileVersionCache;
import dev.linkwell.service.storage.StorageProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Checks, with no phone and nothing stored, that the native engine's settings work against the server they
 * aim at: runs a {@link ServerProbe} with the engine's own configuration (URL, trust anchor, resolved version)
 * and adds to the failed step what to change. Behind {@code GET /diagnostics/whatsapp} and {@code --doctor}.
 */
@Component
public class WhatsAppDoctor {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppDoctor.class);

    private final NativeEngine engine;
    private final ResolvedVersion version;
    private final NativeEngineProperties props;
    private final StorageProperties storage;
    private final boolean demoMode;

    public WhatsAppDoctor(
            NativeEngine engine,
            ResolvedVersion version,
            NativeEngineProperties props,
            StorageProperties storage,
            ObjectProvider<NativeEngineTarget> target) {
        this.engine = engine;
        this.version = version;
        this.props = props;
        this.storage = storage;
        this.demoMode = target.getIfAvailable() != null;
    }

    /** Runs every step against the engine's server; {@code versionOverride} replaces the resolved version. */
    public DoctorReport examine(Optional<WaVersion> versionOverride) {
        ClientConfig config = versionOverride
                .map(v -> engine.config().toBuilder().version(v).build())
                .orElse(engine.config());
        String source =
                versionOverride.isPresent() ? "request" : version.source().wireName();
        String detail = versionOverride.isPresent()
                ? "given with the version parameter"
                : version.source() == ResolvedVersion.Source.CONFIGURED ? "set by WA_VERSION" : version.detail();
        Instant startedAt = Instant.now();
        ProbeReport probe = new ServerProbe(
                        config, engine.runtime().http(), engine.runtime().random(), Clock.systemUTC())
                .run();

        String anchor = HexFormat.of().formatHex(config.trustAnchor());
        DoctorAdvice advice = new DoctorAdvice(
                demoMode,
                config.url().toString(),
                anchor.equals(TrustAnchor.WHATSAPP_ROOT_HEX),
                source,
                detail,
                props.versionUrl(),
                new FileVersionCache(storage.root()).file(),
                config.connectTimeout());
        List<DoctorReport.Step> steps = new ArrayList<>();
        for (ProbeStep s : probe.steps()) {
            steps.add(new DoctorReport.Step(
                    s.step().id(),
                    s.step().title(),
                    s.status().name().toLowerCase(Locale.ROOT),
                    s.millis(),
                    s.detail(),
                    s.status() == ProbeStep.Status.FAILED ? advice.forFailure(s, probe.version()) : null));
        }
        String failed = probe.failedStep().map(s -> s.step().id()).orElse(null);
        if (failed == null) {
            log.info("WhatsApp doctor: every step passed against {} in {} ms", config.url(), probe.totalMillis());
        } else {
            log.warn(
                    "WhatsApp doctor: step '{}' failed against {}: {}",
                    failed,
                    config.url(),
                    probe.failedStep().orElseThrow().detail());
        }
        return new DoctorReport(
                probe.ok(),
                config.url().toString(),
                probe.version(),
                source,
                detail,
                anchor,
                startedAt,
                probe.totalMillis(),
                failed,
                steps);
    }
}
