package dev.linkwell.service.security;

import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.SessionStatus;
import dev.linkwell.service.storage.SessionKeyStore.StoredKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Access", description = "Session keys: API keys limited to one session (admin keys only)")
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

    @Operation(
            summary = "Make a session key",
            description = "The key is in this answer only; the service keeps a SHA-256 digest.")
    @ApiResponse(responseCode = "201", description = "The new key")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ApiKeys.IssuedKey create(@PathVariable String id) {
        if (sessions.get(id).status() == SessionStatus.REMOVED) { // get: 400 for a bad id, 404 for an unknown one
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT, "session '" + id + "' was removed; start it again first");
        }
        return keys.issue(id);
    }

    @Operation(summary = "List a session's keys", description = "Ids and creation times, never the keys.")
    @ApiResponse(responseCode = "200", description = "The keys")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @GetMapping
    List<KeyView> list(@PathVariable String id) {
        sessions.get(id);
        return keys.list(id).stream().map(KeyView::of).toList();
    }

    @Operation(summary = "Revoke a session key")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String id, @PathVariable String keyId) {
        sessions.get(id);
        if (!keys.revoke(id, keyId)) {
            throw new ResponseStatusException(
                    HttpStatus.NOT_FOUND, "session '" + id + "' has no API key '" + keyId + "'");
        }
    }
}
