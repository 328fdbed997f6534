package dev.linkwell.client.doctor;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link ServerProbe} run found: every step, in order, each passed, failed or skipped.
 *
 * @param url         the WebSocket endpoint probed
 * @param version     the WhatsApp Web version sent in the registration payload
 * @param steps       one entry per {@link ProbeStep.Step}, in order
 * @param totalMillis wall time of the whole run
 */
public record ProbeReport(URI url, String version, List<ProbeStep> steps, long totalMillis) {

    public ProbeReport {
        steps = List.copyOf(steps);
    }

    /** True when every step passed. */
    public boolean ok() {
        return steps.stream().allMatch(s -> s.status() == ProbeStep.Status.PASSED);
    }

    /** The step that failed, if one did (at most one does: the later ones are skipped). */
    public Optional<ProbeStep> failedStep() {
        return steps.stream().filter(s -> s.status() == ProbeStep.Status.FAILED).findFirst();
    }
}
