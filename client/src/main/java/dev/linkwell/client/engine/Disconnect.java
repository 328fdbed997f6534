package dev.linkwell.client.engine;

import dev.linkwell.client.DisconnectReason;
import java.util.Objects;

/** Why one connection ended: the reason the service acts on, and free text for logs and clients. */
public record Disconnect(DisconnectReason reason, String detail) {

    public Disconnect {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? reason.wireName() : detail;
    }

    public static Disconnect of(DisconnectReason reason, String detail) {
        return new Disconnect(reason, detail);
    }
}
