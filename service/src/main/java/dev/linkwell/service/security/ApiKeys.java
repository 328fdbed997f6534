package dev.linkwell.service.security;

import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventFilter;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.storage.SessionKeyStore;
import dev.linkwell.service.storage.SessionKeyStore.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Checks presented API keys. Keys are compared as SHA-256 digests: admin keys against every
 * configured digest with {@link MessageDigest#isEqual} (no early exit, so the time does not depend
 * on which key or how much of it matched), session keys by looking up the digest of the presented
 * key, which tells an attacker nothing about any key. Session keys are made here, stored as digests
 * with their session, and forgotten when the session is removed.
 */
@Component
public class ApiKeys implements AutoCloseable {

    /** A new session key; {@code key} is shown once and never stored. */
    public record IssuedKey(String id, String sessionId, String key, Instant createdAt) {}

    private record SessionKey(String sessionId, String keyId, byte[] digest) {}

    private static final String PREFIX = "lwk_";

    private final List<byte[]> adminDigests;
    private final SessionKeyStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SessionKey> sessionKeys = new ConcurrentHashMap<>();
    private final EventBus.Subscription removals;

    public ApiKeys(SecurityProperties properties, SessionKeyStore store, EventBus bus, Clock clock) {
        this.adminDigests = properties.apiKeys().stream().map(ApiKeys::sha256).toList();
        this.store = store;
        this.clock = clock;
        store.loadAll().forEach((sessionId, keys) -> keys.forEach(k -> index(sessionId, k)));
        // A removed session's folder is gone with its key file; its keys must stop working at once.
        this.removals =
                bus.subscribe(new EventFilter(Set.of(), Set.of(EventType.REMOVED)), event -> forget(event.sessionId()));
    }

    /** Whether keys are required at all: only when at least one {@code API_KEY} is set. */
    public boolean enabled() {
        return !adminDigests.isEmpty();
    }

    public Optional<Caller> authenticate(String presented) {
        byte[] digest = sha256(presented);
        boolean admin = false;
        for (byte[] candidate : adminDigests) {
            admin |= MessageDigest.isEqual(candidate, digest);
        }
        if (admin) {
            return Optional.of(Caller.ADMIN);
        }
        SessionKey key = sessionKeys.get(HexFormat.of().formatHex(digest));
        if (key != null && MessageDigest.isEqual(key.digest(), digest)) {
            return Optional.of(new Caller(key.sessionId()));
        }
        return Optional.empty();
    }

    /** Makes a new key for the session; callers check that the session exists. */
    public synchronized IssuedKey issue(String sessionId) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String keyId = HexFormat.of().formatHex(idBytes);
        StoredKey stored = new StoredKey(keyId, HexFormat.of().formatHex(sha256(key)), clock.instant());
        List<StoredKey> keys = new ArrayList<>(store.load(sessionId));
        keys.add(stored);
        store.save(sessionId, keys);
        index(sessionId, stored);
        return new IssuedKey(keyId, sessionId, key, stored.createdAt());
    }

    public List<StoredKey> list(String sessionId) {
        return store.load(sessionId);
    }

    /** Revokes one key of the session; false when it has no such key. */
    public synchronized boolean revoke(String sessionId, String keyId) {
        List<StoredKey> keys = new ArrayList<>(store.load(sessionId));
        Optional<StoredKey> gone =
                keys.stream().filter(k -> k.id().equals(keyId)).findFirst();
        if (gone.isEmpty()) {
            return false;
        }
        keys.remove(gone.get());
        store.save(sessionId, keys);
        sessionKeys.remove(gone.get().sha256());
        return true;
    }

    /**
     * Reads the session's keys again from the store: another node (sharing the database) made or revoked one. A
     * store that cannot be read keeps what this node knew.
     */
    public void reload(String sessionId) {
        List<StoredKey> keys = store.load(sessionId);
        synchronized (this) {
            forget(sessionId);
            keys.forEach(k -> index(sessionId, k));
        }
    }

    /** Reads every session's keys again: after a time in which changes made elsewhere may have gone unheard. */
    public void reloadAll() {
        Map<String, List<StoredKey>> all = store.loadAll();
        synchronized (this) {
            sessionKeys.clear();
            all.forEach((sessionId, keys) -> keys.forEach(k -> index(sessionId, k)));
        }
    }

    private void forget(String sessionId) {
        sessionKeys.values().removeIf(k -> k.sessionId().equals(sessionId));
    }

    private void index(String sessionId, StoredKey key) {
        sessionKeys.put(
                key.sha256(), new SessionKey(sessionId, key.id(), HexFormat.of().parseHex(key.sha256())));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        removals.close();
    }
}
