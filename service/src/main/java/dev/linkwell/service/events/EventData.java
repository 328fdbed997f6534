package dev.linkwell.service.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.linkwell.client.Disconnect;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The {@code data} of an event, one record per shape, each serialized to the JSON the README documents
 * ("Events"). The type of the event follows from the record.
 */
public sealed interface EventData {

    @JsonIgnore
    EventType type();

    /** {@code session.qr} {@code {"qr": ...}}: a QR to show. */
    record Qr(String qr) implements EventData {
        public Qr {
            Objects.requireNonNull(qr, "qr");
        }

        @Override
        public EventType type() {
            return EventType.QR;
        }

        @Override
        public String toString() {
            return "Qr[...]"; // the text carries the adv secret: never log it
        }
    }

    /** {@code session.qr} {@code {"pairingCode": ...}}: the code to type on the phone. */
    record PairingCode(String pairingCode) implements EventData {
        public PairingCode {
            Objects.requireNonNull(pairingCode, "pairingCode");
        }

        @Override
        public EventType type() {
            return EventType.QR;
        }
    }

    /** {@code session.status} {@code {"status": "starting", "provider": ...}}: a socket is being opened. */
    @JsonPropertyOrder({"status", "provider"})
    record Starting(String provider) implements EventData {
        @JsonProperty("status")
        String status() {
            return "starting";
        }

        @Override
        public EventType type() {
            return EventType.STATUS;
        }
    }

    /** {@code session.status} {@code {"status": "open", "jid": ...}}: logged in; {@code jid} left out when unknown. */
    @JsonPropertyOrder({"status", "jid"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Open(String jid) implements EventData {
        @JsonProperty("status")
        String status() {
            return "open";
        }

        @Override
        public EventType type() {
            return EventType.STATUS;
        }
    }

    /**
     * Why a socket ended, as events carry it: {@code reason}, {@code code} and {@code detail} (each left out when
     * absent), then the facts the engine passed on as they are (a ban's {@code banCode} and {@code expire}).
     */
    @JsonPropertyOrder({"reason", "code", "detail"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Cause(
            String reason,
            Integer code,
            String detail,
            @JsonIgnore Map<String, Object> facts) {
        public Cause {
            Objects.requireNonNull(reason, "reason");
            facts = Map.copyOf(facts);
        }

        static Cause of(Disconnect why) {
            return new Cause(why.reason().wireName(), why.code(), why.detail(), why.facts());
        }

        @JsonAnyGetter
        Map<String, Object> extra() {
            return facts;
        }
    }

    /** {@code session.status} {@code {"status": "restarting", ...cause}}: the server asked for a new socket (515), which opens at once. */
    @JsonPropertyOrder({"status", "cause"})
    record Restarting(@JsonUnwrapped Cause cause) implements EventData {
        public static Restarting of(Disconnect why) {
            return new Restarting(Cause.of(why));
        }

        @JsonProperty("status")
        String status() {
            return "restarting";
        }

        @Override
        public EventType type() {
            return EventType.STATUS;
        }
    }

    /**
     * {@code session.status} {@code {"status": "reconnecting", "attempt", "delayMs", ...cause}}: the connection
     * dropped; attempt {@code n} opens after {@code delayMs}.
     */
    @JsonPropertyOrder({"status", "attempt", "delayMs", "cause"})
    record Reconnecting(
            int attempt, long delayMs, @JsonUnwrapped Cause cause) implements EventData {
        public static Reconnecting of(int attempt, long delayMs, Disconnect why) {
            return new Reconnecting(attempt, delayMs, Cause.of(why));
        }

        @JsonProperty("status")
        String status() {
            return "reconnecting";
        }

        @Override
        public EventType type() {
            return EventType.STATUS;
        }
    }

    /**
     * {@code session.message}: the engine's fields as they are, in the engine's order: {@code id}, {@code chat},
     * {@code from}, {@code fromPn} / {@code fromLid}, {@code fromMe}, {@code timestamp}, {@code pushName},
     * {@code type} ({@code text}, {@code image}, ..., {@code undecryptable}), {@code text}, and {@code raw} (the
     * native engine's decrypted Message protobuf as JSON, or Baileys' WAMessage); see README "Events".
     */
    record Message(@JsonValue Map<String, Object> fields) implements EventData {
        public Message {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public EventType type() {
            return EventType.MESSAGE;
        }
    }

    /**
     * {@code session.closed} {@code {...cause}}: no socket and none planned; the credentials are kept. A user's
     * close has no code or detail.
     */
    record Closed(@JsonUnwrapped Cause cause) implements EventData {
        public static Closed by(String reason) {
            return new Closed(new Cause(reason, null, null, Map.of()));
        }

        public static Closed by(String reason, String detail) {
            return new Closed(new Cause(reason, null, detail, Map.of()));
        }

        public static Closed of(Disconnect why) {
            return new Closed(Cause.of(why));
        }

        @Override
        public EventType type() {
            return EventType.CLOSED;
        }
    }

    /** {@code session.removed} {@code {...cause}}: logged out, credentials purged. */
    record Removed(@JsonUnwrapped Cause cause) implements EventData {
        public static Removed by(String reason) {
            return new Removed(new Cause(reason, null, null, Map.of()));
        }

        public static Removed of(Disconnect why) {
            return new Removed(Cause.of(why));
        }

        @Override
        public EventType type() {
            return EventType.REMOVED;
        }
    }

    /**
     * An event as the shared event log keeps it (PostgreSQL, ADR 0015): its type and its data as they were stored,
     * written out as they are. Every node's streams get every node's events in this form, through the log.
     */
    record Logged(EventType type, @JsonValue JsonNode json) implements EventData {
        public Logged {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }

        @Override
        public String toString() {
            return "Logged[" + type.wireName() + "]"; // the data may be a QR or message text: never log it
        }
    }
}
