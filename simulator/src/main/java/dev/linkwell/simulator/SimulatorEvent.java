package dev.linkwell.simulator;

import java.time.Instant;

/**
 * Something that happened on a connection: {@code opened}, {@code refused}, {@code handshake} (detail
 * names the dictionary version the client announced), {@code pairing},
 * {@code pair-success-sent}, {@code paired}, {@code pairing-failed}, {@code link-code-requested},
 * {@code link-code-failed}, {@code refs-exhausted}, {@code unpaired-timeout}, {@code version-refused} (detail: the version sent and the
 * minimum), {@code logged-in}, {@code login-rejected},
 * {@code replaced}, {@code unresponsive}, {@code protocol-error}, {@code device-removed}, {@code closed}.
 */
public record SimulatorEvent(long connectionId, String deviceJid, String type, String detail, Instant at) {
}
