package dev.linkwell.service.session;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum SessionStatus {
    /** A socket is being opened, waits for a scan, or waits to reconnect. */
    STARTING,
    /** Logged in and connected. */
    READY,
    /** No socket and none planned; credentials kept. */
    CLOSED,
    /** Logged out; credentials purged. */
    REMOVED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
