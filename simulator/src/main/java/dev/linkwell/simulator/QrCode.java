package dev.linkwell.simulator;

import java.util.Base64;

/**
 * What a phone's camera reads from a companion's QR code: {@code ref,base64(noisePub),base64(identityPub),
 * base64(advSecret)} with an optional trailing platform field in newer clients (Baileys 6.17.16
 * Socket/socket.js genPairQR joins exactly four parts; whatsmeow pair.go makeQRData the same four).
 */
public record QrCode(String ref, byte[] noisePublicKey, byte[] identityPublicKey, byte[] advSecret) {

    public QrCode {
        if (ref == null || ref.isEmpty()) {
            throw new IllegalArgumentException("QR ref is empty");
        }
        requireLength(noisePublicKey, 32, "noise public key");
        requireLength(identityPublicKey, 32, "identity public key");
        requireLength(advSecret, 32, "adv secret");
        noisePublicKey = noisePublicKey.clone();
        identityPublicKey = identityPublicKey.clone();
        advSecret = advSecret.clone();
    }

    /** Parses QR text; throws {@link SimulatorException} (400) with a clear message when it is not one. */
    public static QrCode parse(String text) {
        if (text == null || text.isBlank()) {
            throw SimulatorException.badRequest("QR text is empty");
        }
        String body = text.trim();
        // today's form (whatsmeow pair.go makeQRData, Baileys 7 buildPairingQRData) is this link, then the parts
        String link = "https://wa.me/settings/linked_devices#";
        if (body.startsWith(link)) {
            body = body.substring(link.length());
        }
        String[] parts = body.split(",", -1);
        if (parts.length < 4 || parts.length > 5) {
            throw SimulatorException.badRequest(
                    "QR text must be ref,noisePub,identityPub,advSecret (comma separated), got " + parts.length + " parts");
        }
        try {
            return new QrCode(parts[0], decode(parts[1], "noise public key"), decode(parts[2], "identity public key"),
                    decode(parts[3], "adv secret"));
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
        return o instanceof QrCode q && ref.equals(q.ref) && java.util.Arrays.equals(noisePublicKey, q.noisePublicKey)
                && java.util.Arrays.equals(identityPublicKey, q.identityPublicKey)
                && java.util.Arrays.equals(advSecret, q.advSecret);
    }

    @Override
    public int hashCode() {
        return ref.hashCode() * 31 + java.util.Arrays.hashCode(noisePublicKey);
    }

    @Override
    public String toString() {
        return "QrCode[ref=" + ref + "]";
    }
}
