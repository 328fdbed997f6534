package dev.linkwell.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and SHA-256 via the JDK's JCA provider. */
public final class Hmac {

    private Hmac() {}

    public static byte[] sha256(byte[] key, byte[]... parts) {
        if (key == null) {
            throw new CryptoException("HMAC key missing");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty HMAC key is legal (HKDF with empty salt uses zeros); SecretKeySpec refuses it.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HMAC-SHA256 failed", e);
        }
    }

    /** Constant-time comparison. */
    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    public static byte[] sha256Digest(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
