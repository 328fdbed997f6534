package dev.linkwell.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why one connection ended: the reason the service acts on, the code the server sent (or the
 * reason's usual code), free text for logs and clients, and facts worth passing on as they are
 * (for a temporary ban: {@code banCode} and {@code expire} in seconds).
 */
public record Disconnect(DisconnectReason reason, int code, String detail, Map<String, Object> facts) {

    public Disconnect {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? reason.wireName() : detail;
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    public static Disconnect of(DisconnectReason reason, String detail) {
        return new Disconnect(reason, reason.code(), detail, Map.of());
    }

    public static Disconnect of(DisconnectReason reason, int code, String detail) {
        return new Disconnect(reason, code, detail, Map.of());
    }

    /** The fields an event about this disconnect carries: reason, code, detail, then the facts. */
    public Map<String, Object> eventData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", reason.wireName());
        data.put("code", code);
        data.put("detail", detail);
        data.putAll(facts);
        return data;
    }
}
