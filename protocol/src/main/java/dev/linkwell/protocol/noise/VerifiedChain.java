package dev.linkwell.protocol.noise;

/** A certificate chain that passed every check of {@link CertificateVerifier}. */
public record VerifiedChain(CertificateDetails intermediate, CertificateDetails leaf) {}
