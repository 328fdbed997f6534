package dev.linkwell.service.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Makes {@code POST /sessions/{id}/messages} idempotent for callers that name their message with an {@code id}:
 * the first request with that id sends, and every later one (also while the first is still sending) gets the
 * same message id back without sending again. A send that failed is forgotten, so the caller can retry it. Ids
 * are kept per session in memory, for {@link #KEEP} and at most {@link #MAX} of them: a restart forgets them.
 */
@Component
class SentMessages {

    static final Duration KEEP = Duration.ofHours(24);
    static final int MAX = 10_000;

    /** What the caller learns: the message id, and whether this request sent it or an earlier one did. */
    record Outcome(String messageId, boolean replayed) {}

    private record Key(String sessionId, String clientId) {}

    private record Entry(CompletableFuture<String> messageId, String to, String text, Instant at) {}

    private final Clock clock;
    /** Oldest first. Guarded by this. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    SentMessages(Clock clock) {
        this.clock = clock;
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
        CompletableFuture<String> mine = new CompletableFuture<>();
        Entry entry;
        synchronized (this) {
            expire();
            entry = entries.get(key);
            if (entry == null) {
                entries.put(key, new Entry(mine, message.to(), message.text(), clock.instant()));
            }
        }
        if (entry != null) {
            if (!entry.to().equals(message.to()) || !entry.text().equals(message.text())) {
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
            }
        });
        return mine.thenApply(id -> new Outcome(id, false));
    }

    /** Called under the monitor: drops ids older than {@link #KEEP}, then the oldest beyond {@link #MAX}. */
    private void expire() {
        Instant oldest = clock.instant().minus(KEEP);
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> next = it.next();
            if (next.getValue().at().isBefore(oldest) || entries.size() >= MAX) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
