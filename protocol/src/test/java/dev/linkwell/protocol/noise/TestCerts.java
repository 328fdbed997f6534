package dev.linkwell.protocol.noise;

import dev.linkwell.protocol.crypto.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared fixtures: a fixed clock, a root, a server static key and a chain for it. */
final class TestCerts {

    static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final KeyPair root = KeyPair.generate();
    final KeyPair serverStatic = KeyPair.generate();
    final CertificateMinter minter = new CertificateMinter(root, CLOCK, new SecureRandom());
    final byte[] chain = minter.mint(serverStatic.publicKey());
    final CertificateVerifier verifier = new CertificateVerifier(minter.trustAnchor(), CLOCK);
}
