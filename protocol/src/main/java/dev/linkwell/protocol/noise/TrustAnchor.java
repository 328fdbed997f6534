package dev.linkwell.protocol.noise;

import dev.linkwell.protocol.crypto.Curve25519;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The root Curve25519 public key that must have signed the server's intermediate certificate.
 * Configuration decides which one: {@link #WHATSAPP} for the real service, a simulator's own root in tests.
 */
public record TrustAnchor(byte[] rootPublicKey) {

    /** WhatsApp's root key as hex (whatsmeow handshake.go WACertPubKey; project notes "Server certificate"). */
    public static final String WHATSAPP_ROOT_HEX = "142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b";

    /** WhatsApp's root key. */
    public static final TrustAnchor WHATSAPP = fromHex(WHATSAPP_ROOT_HEX);

    public TrustAnchor {
        rootPublicKey = Curve25519.fromSignalPublicKey(rootPublicKey);
    }

    public static TrustAnchor of(byte[] rootPublicKey) {
        return new TrustAnchor(rootPublicKey);
    }

    public static TrustAnchor fromHex(String hex) {
        return new TrustAnchor(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] rootPublicKey() {
        return rootPublicKey.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(rootPublicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustAnchor other && Arrays.equals(rootPublicKey, other.rootPublicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rootPublicKey);
    }

    @Override
    public String toString() {
        return "TrustAnchor[" + hex() + "]";
    }
}
