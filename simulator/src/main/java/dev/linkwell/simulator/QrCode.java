package dev.linkwell.simulator;

import dev.linkwell.protocol.pair.CompanionPlatform;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a phone's camera reads from a companion's QR code, in either of the two forms clients show:
 * <ul>
 * <li>today's URL form {@code https://wa.me/settings/linked_devices#ref,noisePub,identityPub,advSecret,platformId}
 * (whatsmeow pair.go makeQRData @33cfac5; Baileys 7.0.0-rc14 lib/Utils/companion-reg-client-utils.js
 * buildPairingQRData), where the platform id is the companion's web client type;</li>
 * <li>the old bare form {@code ref,noisePub,identityPub,advSecret} (whatsmeow before commit 876de1e9
 * "pair: update QR code format"; Baileys 6.17.16 Socket/socket.js genPairQR), still read so older clients
 * (and our own engine until it moves) can link. {@link #platformId()} is null for it.</li>
 * </ul>
 * The keys are standard base64 of 32 bytes each.
 */
public record QrCode(String ref, byte[] noisePublicKey, byte[] identityPublicKey, byte[] advSecret, String platformId) {

    /** The fixed part of today's QR text, up to and including the {@code #}. */
    public static final String URL_PREFIX = "https://wa.me/settings/linked_devices#";

    public QrCode {
        if (ref == null || ref.isEmpty()) {
            throw new IllegalArgumentException("QR ref is empty");
        }
        requireLength(noisePublicKey, 32, "noise public key");
        requireLength(identityPublicKey, 32, "identity public key");
        requireLength(advSecret, 32, "adv secret");
        // the companion web client types of whatsmeow pair-code.go PairClientType (see CompanionPlatform)
        if (platformId != null && !CompanionPlatform.isKnownClientTypeId(platformId)) {
            throw new IllegalArgumentException(
                    "platform id \"" + platformId + "\" is not a companion client type " + "(0-9, c or e)");
        }
        noisePublicKey = noisePublicKey.clone();
        identityPublicKey = identityPublicKey.clone();
        advSecret = advSecret.clone();
    }

    /** Parses QR text; throws {@link SimulatorException} (400) with a clear message when it is not one. */
    public static QrCode parse(String text) {
        if (text == null || text.isBlank()) {
            throw SimulatorException.badRequest("QR text is empty");
        }
        String trimmed = text.trim();
        boolean url = trimmed.startsWith(URL_PREFIX);
        if (!url && trimmed.contains("://")) {
            throw SimulatorException.badRequest("QR URL must start with " + URL_PREFIX);
        }
        String[] parts = (url ? trimmed.substring(URL_PREFIX.length()) : trimmed).split(",", -1);
        int expected = url ? 5 : 4;
        if (parts.length != expected) {
            throw SimulatorException.badRequest(
                    url
                            ? "QR URL must end with #ref,noisePub,identityPub,advSecret,platformId, got " + parts.length
                                    + " parts"
                            : "QR text must be " + URL_PREFIX
                                    + "ref,noisePub,identityPub,advSecret,platformId or the bare "
                                    + "ref,noisePub,identityPub,advSecret, got " + parts.length
                                    + " comma-separated parts");
        }
        try {
            return new QrCode(
                    parts[0],
                    decode(parts[1], "noise public key"),
                    decode(parts[2], "identity public key"),
                    decode(parts[3], "adv secret"),
                    url ? parts[4] : null);
        } catch (IllegalArgumentException e) {
            throw SimulatorException.badRequest("bad QR text: " + e.getMessage());
        }
    }

    private static byte[] decode(String b64, String what) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64");
        }
    }

    private static void requireLength(byte[] b, int n, String what) {
        if (b == null || b.length != n) {
            throw new IllegalArgumentException(what + " must be " + n + " bytes");
        }
    }

    @Override
    public byte[] noisePublicKey() {
        return noisePublicKey.clone();
    }

    @Override
    public byte[] identityPublicKey() {
        return identityPublicKey.clone();
    }

    @Override
    public byte[] advSecret() {
        return advSecret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QrCode q
                && ref.equals(q.ref)
                && Arrays.equals(noisePublicKey, q.noisePublicKey)
                && Arrays.equals(identityPublicKey, q.identityPublicKey)
                && Arrays.equals(advSecret, q.advSecret)
                && java.util.Objects.equals(platformId, q.platformId);
    }

    @Override
    public int hashCode() {
        return ref.hashCode() * 31 + Arrays.hashCode(noisePublicKey);
    }

    @Override
    public String toString() {
        return "QrCode[ref=" + ref + (platformId == null ? "" : ", platform=" + platformId) + "]";
    }
}
