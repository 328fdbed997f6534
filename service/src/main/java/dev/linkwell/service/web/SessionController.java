package dev.linkwell.service.web;

import dev.linkwell.service.security.Caller;
import dev.linkwell.service.session.SessionException;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.SessionView;
import dev.linkwell.service.session.StartOptions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
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
@Tag(name = "Sessions", description = "Start, watch, close and log out WhatsApp linked-device sessions")
class SessionController {

    private static final Logger log = LoggerFactory.getLogger(SessionController.class);

    private final SessionService sessions;

    SessionController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Operation(
            summary = "Start or ensure a session",
            description =
                    "Creates the session or makes sure it runs, then answers once it has a QR, a pairing code, is open "
                            + "or has stopped (or the start wait ends). A running session is answered at once and nothing is opened. "
                            + "webhooks: omitted keeps the stored list, [] removes them.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = StartSessionBody.class),
                                            examples = @ExampleObject(value = """
                {"provider": "native", "phone": "51987654321", "storage": "file",
                 "webhooks": [{"url": "https://example.com/hooks/whatsapp", "events": ["session.message"],
                               "secret": "a-long-random-secret-of-yours"}]}"""))))
    @ApiResponse(responseCode = "200", description = "The session")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @ApiResponse(responseCode = "413", ref = "ContentTooLarge")
    @ApiResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @ApiResponse(responseCode = "502", ref = "BadGateway")
    @ApiResponse(responseCode = "503", ref = "Unavailable")
    @PutMapping("/{id}")
    SessionView start(@PathVariable String id, @RequestBody(required = false) StartSessionBody body) {
        StartOptions options = body == null ? StartOptions.DEFAULTS : body.toOptions();
        SessionView view = sessions.ensure(id, options);
        if (options.webhooks() != null && options.webhooks().stream().anyMatch(w -> w.secret() == null)) {
            log.warn("Session {} has webhooks without a secret: their deliveries are not signed", id);
        }
        return view;
    }

    @Operation(
            summary = "Close a session, keep its credentials",
            description = "Closes the socket, cancels reconnects and marks it not to be restored on boot; "
                    + "PUT starts it again without a new scan.")
    @ApiResponse(responseCode = "200", description = "The session, status closed, reason user")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @DeleteMapping("/{id}")
    SessionView close(@PathVariable String id) {
        return sessions.close(id);
    }

    @Operation(
            summary = "Log out and purge a session",
            description =
                    "Logs the device out if connected (the phone drops the linked device) and deletes the session's folder.")
    @ApiResponse(responseCode = "200", description = "The session, status removed")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @DeleteMapping("/{id}/storage")
    SessionView remove(@PathVariable String id) {
        return sessions.remove(id);
    }

    /** All sessions for an admin key; only its own for a session key. */
    @Operation(
            summary = "List sessions",
            description =
                    "Sessions started since boot and those found in storage, by id; a session key sees only its own.")
    @ApiResponse(responseCode = "200", description = "The sessions")
    @GetMapping
    List<SessionView> list(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        return sessions.list().stream()
                .filter(s -> caller.canSee(s.sessionId()))
                .toList();
    }

    @Operation(summary = "One session")
    @ApiResponse(responseCode = "200", description = "The session")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @GetMapping("/{id}")
    SessionView get(@PathVariable String id) {
        return sessions.get(id);
    }

    /** The current QR as a PNG, or as JSON when the client accepts JSON but not PNG first. */
    @Operation(
            summary = "The current QR code",
            description =
                    "A PNG by default; JSON {sessionId, qr, pairingCode, updatedAt} with Accept: application/json, "
                            + "which also shows a pairing code.")
    @ApiResponse(
            responseCode = "200",
            description = "The QR",
            content = {
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"sessionId": "shop-1", "qr": "2@Zr1c...,K9s...,Qm7...,AQ==", "pairingCode": null, "updatedAt": "2026-11-25T09:40:12.345Z"}"""))
            })
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "404", ref = "NotFound")
    @GetMapping("/{id}/qr")
    ResponseEntity<?> qr(
            @PathVariable String id, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
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
        return SessionException.notFound(
                "No QR code",
                "session '" + id + "' has no current QR code (it may be open, closed, or waiting for a pairing code)");
    }
}
