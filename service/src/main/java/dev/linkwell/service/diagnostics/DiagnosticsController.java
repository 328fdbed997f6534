package dev.linkwell.service.diagnostics;

import dev.linkwell.protocol.version.WaVersion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /diagnostics/whatsapp}: the doctor's report, 200 whatever it found (the report's {@code ok} says
 * whether every step passed). Problem details only for requests it refuses: a bad {@code version} parameter
 * (400) or a run already in progress (429; each run opens a connection to WhatsApp, so they do not pile up).
 */
@RestController
@RequestMapping("/diagnostics")
class DiagnosticsController {

    private final WhatsAppDoctor doctor;
    private final Semaphore oneAtATime = new Semaphore(1);

    DiagnosticsController(WhatsAppDoctor doctor) {
        this.doctor = doctor;
    }

    @Operation(
            summary = "Check that this service can reach WhatsApp",
            description = "Connects to WA_URL, does the Noise handshake with the strict certificate check, sends a "
                    + "registration payload with the configured version and reports each step with timings and what to "
                    + "change; links and stores nothing. 200 whatever it found: the report's ok says whether every step "
                    + "passed. Admin keys only.")
    @ApiResponse(responseCode = "200", description = "The report")
    @ApiResponse(responseCode = "400", ref = "BadRequest")
    @ApiResponse(responseCode = "429", ref = "TooManyRequests")
    @GetMapping("/whatsapp")
    DoctorReport whatsapp(
            @Parameter(description = "another WhatsApp Web version to try, e.g. 2.3000.1045649367")
                    @RequestParam(required = false)
                    String version) {
        Optional<WaVersion> override = parseVersion(version);
        if (!oneAtATime.tryAcquire()) {
            throw problem(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "Diagnostic already running",
                    "a WhatsApp diagnostic is already running; ask again when it has answered");
        }
        try {
            return doctor.examine(override);
        } finally {
            oneAtATime.release();
        }
    }

    private static Optional<WaVersion> parseVersion(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(WaVersion.parse(text));
        } catch (IllegalArgumentException e) {
            throw problem(HttpStatus.BAD_REQUEST, "Invalid request", "version: " + e.getMessage());
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
