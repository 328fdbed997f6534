package dev.linkwell.service.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** The engines present in this process, by provider name. */
@Component
public class EngineRegistry {

    /** Providers the project plans; naming one that is not installed is "unavailable", not "unknown". */
    private static final Set<String> PLANNED = Set.of("native", "baileys");

    private final Map<String, Engine> engines = new TreeMap<>();

    public EngineRegistry(List<Engine> engines) {
        for (Engine engine : engines) {
            Engine previous = this.engines.putIfAbsent(engine.provider(), engine);
            if (previous != null) {
                throw new IllegalStateException("two engines claim provider '" + engine.provider() + "'");
            }
        }
    }

    public Optional<Engine> find(String provider) {
        return Optional.ofNullable(engines.get(provider));
    }

    /** Whether the name is a provider at all, installed or not. */
    public boolean isKnown(String provider) {
        return engines.containsKey(provider) || PLANNED.contains(provider);
    }

    /** Every provider name that is known, sorted. */
    public Set<String> knownProviders() {
        Set<String> all = new TreeSet<>(PLANNED);
        all.addAll(engines.keySet());
        return all;
    }
}
