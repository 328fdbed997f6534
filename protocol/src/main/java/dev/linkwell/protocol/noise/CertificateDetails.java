package dev.linkwell.protocol.noise;

import java.time.Instant;
import java.util.HexFormat;

/** The parsed, verified details of one certificate of the chain. */
public record CertificateDetails(long serial, long issuerSerial, byte[] key, Instant notBefore, Instant notAfter) {

    public CertificateDetails {
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "CertificateDetails[serial=" + serial + ", issuerSerial=" + issuerSerial + ", key="
                + HexFormat.of().formatHex(key) + ", notBefore=" + notBefore + ", notAfter=" + notAfter + "]";
    }
}
