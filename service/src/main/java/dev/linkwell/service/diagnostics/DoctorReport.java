package dev.linkwell.service.diagnostics;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /diagnostics/whatsapp} answers and {@code --doctor} prints.
 *
 * @param ok            true when every step passed
 * @param url           the WebSocket endpoint checked (WA_URL, or the embedded simulator in demo mode)
 * @param version       the WhatsApp Web version sent in the registration payload
 * @param versionSource {@code configured}, {@code fetched}, {@code cache}, {@code built-in}, or {@code request}
 *                      (the {@code version} query parameter)
 * @param versionDetail where the version came from, in words (a failed fetch says why)
 * @param trustAnchor   hex of the root key the certificate chain must lead to
 * @param startedAt     when the run started
 * @param totalMillis   how long the whole run took
 * @param failedStep    the id of the step that failed, or null
 * @param steps         every step in order: passed, failed, or skipped after a failure
 */
public record DoctorReport(
        boolean ok,
        String url,
        String version,
        String versionSource,
        String versionDetail,
        String trustAnchor,
        Instant startedAt,
        long totalMillis,
        String failedStep,
        List<Step> steps) {

    public DoctorReport {
        steps = List.copyOf(steps);
    }

    /**
     * One step.
     *
     * @param step   {@code websocket}, {@code noise}, {@code certificate}, {@code version}, {@code pair-device}
     * @param title  the step in words
     * @param status {@code passed}, {@code failed}, {@code skipped}
     * @param millis how long it took
     * @param detail what happened
     * @param advice what to change; only on the failed step, else null
     */
    public record Step(String step, String title, String status, long millis, String detail, String advice) {}
}
