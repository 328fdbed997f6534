package dev.linkwell.service.session;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum ConnectionState {
    CONNECTING,
    OPEN,
    CLOSE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
