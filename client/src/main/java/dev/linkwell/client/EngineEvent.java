package dev.linkwell.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an engine reports about one socket, in order: one closed set of facts that every engine (the
 * native one, the Baileys host) sends and the service turns into its events. {@link Disconnected} comes
 * exactly once per socket and is the last.
 */
public sealed interface EngineEvent {

    /** A QR to show; each new one replaces the previous. */
    record Qr(String text) implements EngineEvent {
        public Qr {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Qr[...]"; // the text carries the adv secret: never log it
        }
    }

    /** The 8-character code to type on the phone. */
    record PairingCode(String code) implements EngineEvent {
        public PairingCode {
            Objects.requireNonNull(code, "code");
        }
    }

    /** Linking succeeded and the credentials are stored; a 515 and a new socket follow. */
    record Paired(String jid) implements EngineEvent {}

    /** Logged in: the connection is open ({@code jid} may be null when the engine does not know it). */
    record Opened(String jid) implements EngineEvent {}

    /** An inbound message, as the JSON-ready data of a {@code session.message} event. */
    record MessageReceived(Map<String, Object> data) implements EngineEvent {
        public MessageReceived {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data)); // keeps the documented field order
        }
    }

    /** The socket ended, and why; the service decides what happens next ({@link DisconnectReason#action()}). */
    record Disconnected(Disconnect why) implements EngineEvent {
        public Disconnected {
            Objects.requireNonNull(why, "why");
        }
    }
}
