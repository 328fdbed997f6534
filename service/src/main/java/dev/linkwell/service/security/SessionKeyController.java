package dev.linkwell.service.security;

import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.SessionStatus;
import dev.linkwell.service.storage.SessionKeyStore.StoredKey;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /sessions/{id}/api-keys}: session keys, managed with an admin key ({@link ApiKeyFilter} keeps session keys out). */
@RestController
@RequestMapping("/sessions/{id}/api-keys")
class SessionKeyController {

    /** A key as the list shows it: never the key itself, which only the answer to its creation carries. */
    record KeyView(String id, Instant createdAt) {
        static KeyView of(StoredKey key) {
            return new KeyView(key.id(), key.createdAt());
        }
    }

    private final ApiKeys keys;
    private final SessionService sessions;

    SessionKeyController(ApiKeys keys, SessionService sessions) {
        this.keys = keys;
        this.sessions = sessions;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ApiKeys.IssuedKey create(@PathVariable String id) {
        if (sessions.get(id).status() == SessionStatus.REMOVED) { // get: 400 for a bad id, 404 for an unknown one
            throw new ResponseStatusException(HttpStatus.CONFLICT, "session '" + id + "' was removed; start it again first");
        }
        return keys.issue(id);
    }

    @GetMapping
    List<KeyView> list(@PathVariable String id) {
        sessions.get(id);
        return keys.list(id).stream().map(KeyView::of).toList();
    }

    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String id, @PathVariable String keyId) {
        sessions.get(id);
        if (!keys.revoke(id, keyId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "session '" + id + "' has no API key '" + keyId + "'");
        }
    }
}
