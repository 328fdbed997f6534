package dev.linkwell.service.web;

import dev.linkwell.service.security.Caller;
import dev.linkwell.service.session.SessionException;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.SessionView;
import dev.linkwell.service.session.StartOptions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/sessions")
class SessionController {

    private static final Logger log = LoggerFactory.getLogger(SessionController.class);

    private final SessionService sessions;

    SessionController(SessionService sessions) {
        this.sessions = sessions;
    }

    @PutMapping("/{id}")
    SessionView start(@PathVariable String id, @RequestBody(required = false) StartSessionBody body) {
        StartOptions options = body == null ? StartOptions.DEFAULTS : body.toOptions();
        SessionView view = sessions.ensure(id, options);
        if (options.webhooks() != null && options.webhooks().stream().anyMatch(w -> w.secret() == null)) {
            log.warn("Session {} has webhooks without a secret: their deliveries are not signed", id);
        }
        return view;
    }

    @DeleteMapping("/{id}")
    SessionView close(@PathVariable String id) {
        return sessions.close(id);
    }

    @DeleteMapping("/{id}/storage")
    SessionView remove(@PathVariable String id) {
        return sessions.remove(id);
    }

    /** All sessions for an admin key; only its own for a session key. */
    @GetMapping
    List<SessionView> list(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        return sessions.list().stream().filter(s -> caller.canSee(s.sessionId())).toList();
    }

    @GetMapping("/{id}")
    SessionView get(@PathVariable String id) {
        return sessions.get(id);
    }

    /** The current QR as a PNG, or as JSON when the client accepts JSON but not PNG first. */
    @GetMapping("/{id}/qr")
    ResponseEntity<?> qr(@PathVariable String id, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        SessionView session = sessions.get(id);
        if (wantsJson(accept)) {
            if (session.qr() == null && session.pairingCode() == null) {
                throw noQr(id);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sessionId", id);
            body.put("qr", session.qr());
            body.put("pairingCode", session.pairingCode());
            body.put("updatedAt", session.updatedAt());
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
        }
        if (session.qr() == null) {
            throw noQr(id);
        }
        return ResponseEntity.ok()
            .contentType(MediaType.IMAGE_PNG)
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            .body(QrCodeImages.png(session.qr()));
    }

    /** JSON only when the first concrete type the client lists is JSON rather than an image. */
    private static boolean wantsJson(String accept) {
        if (accept == null) {
            return false;
        }
        try {
            for (MediaType type : MediaType.parseMediaTypes(accept)) {
                if (type.isWildcardType()) {
                    continue;
                }
                if (type.isCompatibleWith(MediaType.IMAGE_PNG)) {
                    return false;
                }
                if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                    return true;
                }
            }
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        return false;
    }

    private static SessionException noQr(String id) {
        return new SessionException(HttpStatus.NOT_FOUND, "No QR code",
            "session '" + id + "' has no current QR code (it may be open, closed, or waiting for a pairing code)");
    }
}
