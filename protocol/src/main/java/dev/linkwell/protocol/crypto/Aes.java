package dev.linkwell.protocol.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256 in the modes WhatsApp uses, via the JDK's JCA provider: GCM (12-byte IV, 16-byte tag appended
 * to the ciphertext, as Baileys and whatsmeow lay it out), CTR and CBC with PKCS#7 padding. Every
 * failure (wrong key size, bad tag, bad padding) is a {@link CryptoException}.
 */
public final class Aes {

    public static final int KEY_SIZE = 32;
    public static final int GCM_IV_SIZE = 12;
    public static final int GCM_TAG_SIZE = 16;
    public static final int BLOCK_SIZE = 16;

    private Aes() {}

    public static byte[] gcmEncrypt(byte[] key, byte[] iv, byte[] plaintext, byte[] aad) {
        checkKey(key);
        checkIv(iv, GCM_IV_SIZE, "GCM");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            if (aad != null && aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(plaintext == null ? new byte[0] : plaintext);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-GCM encryption failed", e);
        }
    }

    public static byte[] gcmDecrypt(byte[] key, byte[] iv, byte[] ciphertext, byte[] aad) {
        checkKey(key);
        checkIv(iv, GCM_IV_SIZE, "GCM");
        if (ciphertext == null || ciphertext.length < GCM_TAG_SIZE) {
            throw new CryptoException("AES-GCM ciphertext shorter than its 16-byte tag");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            if (aad != null && aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new CryptoException("AES-GCM authentication tag mismatch", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-GCM decryption failed", e);
        }
    }

    /** AES-256-CTR with a 16-byte initial counter block; encryption and decryption are the same. */
    public static byte[] ctr(byte[] key, byte[] iv, byte[] data) {
        checkKey(key);
        checkIv(iv, BLOCK_SIZE, "CTR");
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(data == null ? new byte[0] : data);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-CTR failed", e);
        }
    }

    public static byte[] cbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        checkKey(key);
        checkIv(iv, BLOCK_SIZE, "CBC");
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(plaintext == null ? new byte[0] : plaintext);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-CBC encryption failed", e);
        }
    }

    public static byte[] cbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) {
        checkKey(key);
        checkIv(iv, BLOCK_SIZE, "CBC");
        if (ciphertext == null || ciphertext.length == 0 || ciphertext.length % BLOCK_SIZE != 0) {
            throw new CryptoException("AES-CBC ciphertext is not a positive multiple of 16 bytes");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-CBC decryption failed (bad key or padding)", e);
        }
    }

    private static void checkKey(byte[] key) {
        if (key == null || key.length != KEY_SIZE) {
            throw new CryptoException("AES-256 key must be 32 bytes, got " + (key == null ? "none" : key.length));
        }
    }

    private static void checkIv(byte[] iv, int size, String mode) {
        if (iv == null || iv.length != size) {
            throw new CryptoException(
                    "AES-" + mode + " IV must be " + size + " bytes, got " + (iv == null ? "none" : iv.length));
        }
    }
}
