package dev.linkwell.service.session;

import dev.linkwell.service.engine.Engine;
import dev.linkwell.service.engine.EngineRegistry;
import dev.linkwell.service.session.SessionException.Kind;
import org.springframework.stereotype.Component;

/** The engine a session's provider names, or why there is none: unknown (400) or not usable here (503). */
@Component
class EngineChooser {

    private final EngineRegistry engines;

    EngineChooser(EngineRegistry engines) {
        this.engines = engines;
    }

    void requireKnown(String provider) {
        if (!engines.isKnown(provider)) {
            throw SessionException.invalid("unknown provider '" + provider + "'; known: " + engines.knownProviders());
        }
    }

    Engine resolve(String provider) {
        requireKnown(provider);
        Engine engine = engines.find(provider)
                .orElseThrow(() -> new SessionException(
                        Kind.UNAVAILABLE,
                        "Provider not available",
                        "provider '" + provider + "' is not available in this build"));
        engine.missingRequirement().ifPresent(missing -> {
            throw new SessionException(Kind.UNAVAILABLE, "Provider not available", missing);
        });
        return engine;
    }
}
