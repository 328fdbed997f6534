package dev.linkwell.client.doctor;

import java.util.Objects;

/**
 * One step of a {@link ServerProbe} run.
 *
 * @param step    which step
 * @param status  passed, failed, or skipped because an earlier step failed
 * @param millis  how long the step took (0 when skipped)
 * @param detail  what happened, in plain words
 * @param problem what kind of failure, when it failed; null otherwise
 */
public record ProbeStep(Step step, Status status, long millis, String detail, Problem problem) {

    /** The steps, in the order they run. */
    public enum Step {
        WEBSOCKET("websocket", "WebSocket and TLS"),
        NOISE("noise", "Noise handshake"),
        CERTIFICATE("certificate", "Certificate chain"),
        VERSION("version", "Version accepted"),
        PAIR_DEVICE("pair-device", "Pair-device refs");

        private final String id;
        private final String title;

        Step(String id, String title) {
            this.id = id;
            this.title = title;
        }

        /** Short machine name: {@code websocket}, {@code noise}, {@code certificate}, {@code version}, {@code pair-device}. */
        public String id() {
            return id;
        }

        public String title() {
            return title;
        }
    }

    public enum Status {
        PASSED,
        FAILED,
        SKIPPED
    }

    /** What went wrong, so that the caller can say what to change. */
    public enum Problem {
        /** No TCP connection: DNS, refused, unreachable network. */
        UNREACHABLE,
        /** TLS failed (untrusted or intercepted certificate, protocol mismatch). */
        TLS,
        /** An HTTP server answered but refused the WebSocket upgrade. */
        UPGRADE_REFUSED,
        /** Nothing came back within the timeout. */
        NO_ANSWER,
        /** The server closed the connection at this step. */
        CLOSED,
        /** The server answered with something that is not WhatsApp's protocol. */
        NOT_WHATSAPP,
        /** The certificate chain is not signed by the configured trust anchor. */
        UNTRUSTED_CERTIFICATE,
        /** A certificate is outside its validity window: often this machine's clock. */
        CERTIFICATE_TIME,
        /** The chain is signed but wrong in another way (serials, leaf key, shape). */
        BAD_CERTIFICATE,
        /** {@code <failure reason="405"/>}: the version is too old. */
        CLIENT_OUTDATED,
        /** Another failure or stream error ended the connection. */
        REFUSED,
        /** A stanza arrived that does not decode with our tables. */
        UNDECODABLE
    }

    public ProbeStep {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if ((status == Status.FAILED) != (problem != null)) {
            throw new IllegalArgumentException("a failed step names its problem, and only a failed step");
        }
    }

    static ProbeStep passed(Step step, long millis, String detail) {
        return new ProbeStep(step, Status.PASSED, millis, detail, null);
    }

    static ProbeStep failed(Step step, long millis, Problem problem, String detail) {
        return new ProbeStep(step, Status.FAILED, millis, detail, problem);
    }

    static ProbeStep skipped(Step step) {
        return new ProbeStep(step, Status.SKIPPED, 0, "not tried: an earlier step failed", null);
    }
}
