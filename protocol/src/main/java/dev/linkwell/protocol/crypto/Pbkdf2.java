package dev.linkwell.protocol.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2-HMAC-SHA256 via the JDK's JCA provider. */
public final class Pbkdf2 {

    /** Iterations WhatsApp uses to derive the pairing-code key (Baileys derivePairingCodeKey, 2 << 16). */
    public static final int PAIRING_CODE_ITERATIONS = 131_072;

    private Pbkdf2() {}

    public static byte[] sha256(char[] password, byte[] salt, int iterations, int lengthBytes) {
        if (password == null || salt == null || salt.length == 0 || iterations < 1 || lengthBytes < 1) {
            throw new CryptoException("PBKDF2 needs a password, a non-empty salt, iterations and a length");
        }
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, lengthBytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("PBKDF2 failed", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The 32-byte pairing-code key: PBKDF2-SHA256(code, salt, 131072 iterations). */
    public static byte[] pairingCodeKey(String code, byte[] salt) {
        return sha256(code.toCharArray(), salt, PAIRING_CODE_ITERATIONS, 32);
    }
}
