package dev.linkwell.service.events;

import dev.linkwell.client.SessionIds;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** Which events a subscriber wants; an empty set means "all". */
public record EventFilter(Set<String> sessionIds, Set<EventType> types) {

    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of());

    public EventFilter {
        sessionIds = Set.copyOf(sessionIds);
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    public boolean matches(SessionEvent event) {
        return (sessionIds.isEmpty() || sessionIds.contains(event.sessionId()))
                && (types.isEmpty() || types.contains(event.type()));
    }

    /**
     * Builds a filter from query parameter values; each value may hold several comma-separated items.
     *
     * @throws IllegalArgumentException naming the first invalid session id or unknown type
     */
    public static EventFilter parse(Collection<String> sessionIds, Collection<String> types) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : split(sessionIds)) {
            if (!SessionIds.isValid(id)) {
                throw new IllegalArgumentException(
                        "invalid session id filter; ids match " + SessionIds.PATTERN.pattern());
            }
            ids.add(id);
        }
        Set<EventType> wanted = EnumSet.noneOf(EventType.class);
        for (String name : split(types)) {
            wanted.add(EventType.fromWireName(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + name + "'; known: "
                            + Arrays.stream(EventType.values())
                                    .map(EventType::wireName)
                                    .toList())));
        }
        return new EventFilter(ids, wanted);
    }

    private static Set<String> split(Collection<String> values) {
        Set<String> items = new LinkedHashSet<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }
}
