package dev.linkwell.simulator;

import java.time.Instant;

/**
 * Something that happened on the server, typed. Every event names where and when ({@link Origin}) and keeps
 * the short {@link #type()} and {@link #detail()} strings the admin API ({@code GET /events}) shows and
 * string-based tests match on.
 */
public sealed interface SimulatorEvent {

    /**
     * @param connectionId the connection it happened on; 0 when none (a command on a device that is offline)
     * @param deviceJid    the linked device concerned, or null (a connection that is not logged in)
     */
    record Origin(long connectionId, String deviceJid, Instant at) {}

    Origin origin();

    /** The event's name: {@code opened}, {@code handshake}, {@code paired}, {@code logged-in}, ... */
    String type();

    /** Free text that goes with it, or null. */
    String detail();

    default long connectionId() {
        return origin().connectionId();
    }

    default String deviceJid() {
        return origin().deviceJid();
    }

    default Instant at() {
        return origin().at();
    }

    // ------------------------------------------------------------ connections

    /** A WebSocket upgrade was accepted. */
    record Opened(Origin origin) implements SimulatorEvent {
        public String type() {
            return "opened";
        }

        public String detail() {
            return null;
        }
    }

    /** A WebSocket upgrade was refused (unknown path, or {@code refuseConnections}). */
    record Refused(Origin origin, String why) implements SimulatorEvent {
        public String type() {
            return "refused";
        }

        public String detail() {
            return why;
        }
    }

    /** The client's intro and hello arrived; the server speaks the dictionary version it announced. */
    record Handshake(Origin origin, int dictionaryVersion) implements SimulatorEvent {
        public String type() {
            return "handshake";
        }

        public String detail() {
            return "dictionary v" + dictionaryVersion;
        }
    }

    /** The ClientPayload reported a version older than the minimum: {@code <failure reason="405"/>}. */
    record VersionRefused(Origin origin, String version, String minimum) implements SimulatorEvent {
        public String type() {
            return "version-refused";
        }

        public String detail() {
            return version + " is older than the minimum " + minimum;
        }
    }

    /** The client sent something the server cannot read; the connection was closed. */
    record ProtocolError(Origin origin, String problem) implements SimulatorEvent {
        public String type() {
            return "protocol-error";
        }

        public String detail() {
            return problem;
        }
    }

    /** A connection that did not log in within {@link SimulatorConfig#unpairedLifetime()} was ended. */
    record UnpairedTimeout(Origin origin, String problem) implements SimulatorEvent {
        public String type() {
            return "unpaired-timeout";
        }

        public String detail() {
            return problem;
        }
    }

    /** A logged-in client sent nothing for {@link SimulatorConfig#idleTimeout()} and was dropped. */
    record Unresponsive(Origin origin, String problem) implements SimulatorEvent {
        public String type() {
            return "unresponsive";
        }

        public String detail() {
            return problem;
        }
    }

    /** The WebSocket closed. */
    record Closed(Origin origin) implements SimulatorEvent {
        public String type() {
            return "closed";
        }

        public String detail() {
            return null;
        }
    }

    // ------------------------------------------------------------ pairing

    /** {@code <pair-device>} with this many refs was sent. */
    record Pairing(Origin origin, int refs) implements SimulatorEvent {
        public String type() {
            return "pairing";
        }

        public String detail() {
            return refs + " refs issued";
        }
    }

    /** The last QR ref expired; no scan is accepted any more on this connection. */
    record RefsExhausted(Origin origin) implements SimulatorEvent {
        public String type() {
            return "refs-exhausted";
        }

        public String detail() {
            return "all QR refs expired";
        }
    }

    /** A companion_hello was accepted: the phone with this number can enter the code. */
    record LinkCodeRequested(Origin origin, String number, String platformDisplay) implements SimulatorEvent {
        public String type() {
            return "link-code-requested";
        }

        public String detail() {
            return number + " (" + platformDisplay + ")";
        }
    }

    /** A companion_hello was answered with an error. */
    record LinkCodeRefused(Origin origin, String why) implements SimulatorEvent {
        public String type() {
            return "link-code-refused";
        }

        public String detail() {
            return why;
        }
    }

    /** The companion's key bundle did not open: the code typed on the phone was wrong. */
    record LinkCodeFailed(Origin origin, String why) implements SimulatorEvent {
        public String type() {
            return "link-code-failed";
        }

        public String detail() {
            return why;
        }
    }

    /** {@code <pair-success>} was sent for this device. */
    record PairSuccessSent(Origin origin, String device) implements SimulatorEvent {
        public String type() {
            return "pair-success-sent";
        }

        public String detail() {
            return device;
        }
    }

    /** The companion's pair-device-sign did not verify (or it refused pair-success). */
    record PairingFailed(Origin origin, String problem) implements SimulatorEvent {
        public String type() {
            return "pairing-failed";
        }

        public String detail() {
            return problem;
        }
    }

    /** A device was linked, by {@code qr} or {@code code}. */
    record Paired(Origin origin, String method) implements SimulatorEvent {
        public String type() {
            return "paired";
        }

        public String detail() {
            return method;
        }
    }

    /** A device was forgotten (removed by command, or the client logged out). */
    record DeviceRemoved(Origin origin, String why) implements SimulatorEvent {
        public String type() {
            return "device-removed";
        }

        public String detail() {
            return why;
        }
    }

    // ------------------------------------------------------------ login and after

    /** A login was refused: an unknown device or key (detail: the JID it claimed), or a failure it was given. */
    record LoginRejected(Origin origin, String why) implements SimulatorEvent {
        public String type() {
            return "login-rejected";
        }

        public String detail() {
            return why;
        }
    }

    /** A device logged in. */
    record LoggedIn(Origin origin, String jid) implements SimulatorEvent {
        public String type() {
            return "logged-in";
        }

        public String detail() {
            return jid;
        }
    }

    /** Stanzas the device had not acked were sent again at its login. */
    record Replayed(Origin origin, int stanzas) implements SimulatorEvent {
        public String type() {
            return "replayed";
        }

        public String detail() {
            return stanzas + " unacked stanzas";
        }
    }

    /** The stream was ended over a stanza replayed too often without an ack. */
    record ForceClosed(Origin origin, String why) implements SimulatorEvent {
        public String type() {
            return "force-closed";
        }

        public String detail() {
            return why;
        }
    }

    /** The device's connection was replaced (by command or by a newer login). */
    record Replaced(Origin origin, String why) implements SimulatorEvent {
        public String type() {
            return "replaced";
        }

        public String detail() {
            return why;
        }
    }

    /** The device was temporarily banned. */
    record TemporaryBan(Origin origin, int code, long seconds) implements SimulatorEvent {
        public String type() {
            return "temporary-ban";
        }

        public String detail() {
            return "code " + code + " for " + seconds + " s";
        }
    }

    /** The device's connection went silent. */
    record Silenced(Origin origin) implements SimulatorEvent {
        public String type() {
            return "silenced";
        }

        public String detail() {
            return "by command";
        }
    }

    /** The low-prekeys notification was sent. */
    record PreKeyLow(Origin origin, int count, String notificationId) implements SimulatorEvent {
        public String type() {
            return "prekey-low";
        }

        public String detail() {
            return "count " + count + ", notification " + notificationId;
        }
    }

    /** A top-level {@code <status>} or {@code <appdata>} was sent. */
    record StanzaSent(Origin origin, String tag, String id) implements SimulatorEvent {
        public String type() {
            return tag + "-sent";
        }

        public String detail() {
            return id;
        }
    }

    /** Raw bytes were sent as one stanza. */
    record RawStanzaSent(Origin origin, int bytes) implements SimulatorEvent {
        public String type() {
            return "raw-stanza-sent";
        }

        public String detail() {
            return bytes + " bytes";
        }
    }

    /** A device asked for a message again; the phone that sent it sent it again, unless it did not know it. */
    record RetryReceived(Origin origin, String messageId, int count, boolean resent) implements SimulatorEvent {
        public String type() {
            return "retry-received";
        }

        public String detail() {
            return "message " + messageId + ", retry " + count + (resent ? ", resent" : ", unknown message");
        }
    }

    /**
     * After a device's first prekey upload its phone sent it the app-state key and the history-sync notification
     * ({@code sent}), or could not (why in {@code problem}).
     */
    record CompanionSynced(Origin origin, boolean sent, String problem) implements SimulatorEvent {
        public String type() {
            return "companion-synced";
        }

        public String detail() {
            return sent ? "app-state key and history sync sent" : "not sent: " + problem;
        }
    }

    /** A scripted answer ({@link WaSimulator#enqueue}) replaced the server's own. */
    record Scripted(Origin origin, String what) implements SimulatorEvent {
        public String type() {
            return "scripted";
        }

        public String detail() {
            return what;
        }
    }

    /** A device's message was taken and relayed to the devices it named that exist. */
    record MessageRelayed(Origin origin, String id, String to, int devices) implements SimulatorEvent {
        public String type() {
            return "message-relayed";
        }

        public String detail() {
            return id + " to " + to + " (" + devices + " devices)";
        }
    }

    /** A device's message was refused with an error ack. */
    record MessageRefused(Origin origin, String id, int code, String why) implements SimulatorEvent {
        public String type() {
            return "message-refused";
        }

        public String detail() {
            return id + ": " + code + " " + why;
        }
    }

    /** A phone decrypted a message a linked device sent it. */
    record PhoneRead(Origin origin, String phoneId, String id) implements SimulatorEvent {
        public String type() {
            return "phone-read";
        }

        public String detail() {
            return phoneId + " read " + id;
        }
    }

    /** A phone could not read a message and asked for it again (try -1: it gave up). */
    record PhoneRetry(Origin origin, String phoneId, String id, int count) implements SimulatorEvent {
        public String type() {
            return "phone-retry";
        }

        public String detail() {
            return count < 0
                    ? phoneId + " gave up on " + id
                    : phoneId + " asked again for " + id + " (try " + count + ")";
        }
    }
}
