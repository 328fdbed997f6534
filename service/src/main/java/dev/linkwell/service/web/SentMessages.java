package dev.linkwell.service.web;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.session.SessionOwnership;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes {@code POST /sessions/{id}/messages} idempotent for callers that name their message with an {@code id}:
 * the first request with that id sends, and every later one (also while the first is still sending) gets the
 * same message id back without sending again. A send that failed is forgotten, so the caller can retry it. Ids
 * are kept per session for {@link #KEEP}, at most {@link #MAX} in memory and {@link #MAX_PER_SESSION} per session
 * in the session's {@code sent-ids} blob of the {@link CredentialStore} (written atomically once the engine took
 * the message), so a restart of the service does not send a known id again. Only the sends confirmed before a
 * crash are known after it: a message whose send was cut short by the crash may go out again on a retry.
 */
@Component
class SentMessages {

    private static final Logger log = LoggerFactory.getLogger(SentMessages.class);

    static final Duration KEEP = Duration.ofHours(24);
    static final int MAX = 10_000;
    static final int MAX_PER_SESSION = 1_000;
    static final String BLOB = "sent-ids";
    private static final Pattern LINE = Pattern.compile("(\\S{1,64}) (\\S{1,128}) ([0-9]{1,19}) ([0-9a-f]{64})");

    /** What the caller learns: the message id, and whether this request sent it or an earlier one did. */
    record Outcome(String messageId, boolean replayed) {}

    private record Key(String sessionId, String clientId) {}

    /** @param fingerprint SHA-256 of recipient and text: the same id must name the same message */
    private record Entry(CompletableFuture<String> messageId, String fingerprint, Instant at) {}

    private final Clock clock;
    private final CredentialStore store;
    private final SessionOwnership ownership;
    /** Oldest first. Guarded by this. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
    /** Sessions whose blob was read. Guarded by this. */
    private final Set<String> loaded = new HashSet<>();

    SentMessages(Clock clock, CredentialStore store, SessionOwnership ownership) {
        this.clock = clock;
        this.store = store;
        this.ownership = ownership;
    }

    /**
     * Sends through {@code send} unless a send with the same client id for this session was accepted before.
     *
     * @throws IllegalArgumentException when the client id was used for another recipient or text
     */
    CompletableFuture<Outcome> send(String sessionId, OutgoingText message, Supplier<CompletableFuture<String>> send) {
        if (message.clientId() == null) {
            return send.get().thenApply(id -> new Outcome(id, false));
        }
        Key key = new Key(sessionId, message.clientId());
        String fingerprint = fingerprint(message);
        CompletableFuture<String> mine = new CompletableFuture<>();
        Entry entry;
        synchronized (this) {
            load(sessionId);
            expire();
            entry = entries.get(key);
            if (entry == null) {
                entries.put(key, new Entry(mine, fingerprint, clock.instant()));
            }
        }
        if (entry != null) {
            if (!entry.fingerprint().equals(fingerprint)) {
                throw new IllegalArgumentException(
                        "id '" + message.clientId() + "' was already used for another message "
                                + "of this session; use a new id for a new message");
            }
            return entry.messageId().thenApply(id -> new Outcome(id, true));
        }
        CompletableFuture<String> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((id, error) -> {
            if (error != null) {
                synchronized (this) {
                    entries.computeIfPresent(key, (k, e) -> e.messageId() == mine ? null : e);
                }
                mine.completeExceptionally(error);
            } else {
                mine.complete(id);
                save(sessionId);
            }
        });
        return mine.thenApply(id -> new Outcome(id, false));
    }

    /** Called under the monitor: drops ids older than {@link #KEEP}, then the oldest beyond {@link #MAX}. */
    private void expire() {
        Instant oldest = clock.instant().minus(KEEP);
        entries.values().removeIf(e -> e.at().isBefore(oldest));
        Iterator<Key> it = entries.keySet().iterator();
        while (entries.size() >= MAX && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /**
     * Called under the monitor: the session's stored ids (lines that do not parse are skipped). Read once per
     * session; with several nodes on one database at every send, since the node that ran the session meanwhile may
     * have added some, and a save from a stale view would drop them.
     */
    private void load(String sessionId) {
        if (!loaded.add(sessionId) && !ownership.shared()) {
            return;
        }
        byte[] blob;
        try {
            blob = store.read(sessionId, BLOB).orElse(null);
        } catch (RuntimeException e) {
            log.warn("Sent message ids of session {} not read: {}", sessionId, e.getMessage());
            return;
        }
        if (blob == null) {
            return;
        }
        for (String line : new String(blob, StandardCharsets.UTF_8).split("\n")) {
            var m = LINE.matcher(line);
            if (m.matches()) {
                entries.putIfAbsent(
                        new Key(sessionId, m.group(1)),
                        new Entry(
                                CompletableFuture.completedFuture(m.group(2)),
                                m.group(4),
                                Instant.ofEpochSecond(Long.parseLong(m.group(3)))));
            }
        }
    }

    /**
     * Writes the session's confirmed ids, newest {@link #MAX_PER_SESSION}; not for a session without credentials
     * (a logged-out one must not look stored again). A failure is logged: the message was sent all the same.
     */
    private void save(String sessionId) {
        List<String> lines;
        synchronized (this) {
            lines = entries.entrySet().stream()
                    .filter(e -> e.getKey().sessionId().equals(sessionId)
                            && e.getValue().messageId().isDone()
                            && !e.getValue().messageId().isCompletedExceptionally())
                    .map(e -> e.getKey().clientId() + " "
                            + e.getValue().messageId().join() + " "
                            + e.getValue().at().getEpochSecond() + " "
                            + e.getValue().fingerprint())
                    .toList();
        }
        List<String> newest = lines.subList(Math.max(0, lines.size() - MAX_PER_SESSION), lines.size());
        try {
            if (store.exists(sessionId)) {
                store.write(sessionId, BLOB, (String.join("\n", newest) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            log.warn("Sent message ids of session {} not saved: {}", sessionId, e.getMessage());
        }
    }

    private static String fingerprint(OutgoingText message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(message.to().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(message.text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
