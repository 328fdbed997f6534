package dev.linkwell.service.storage.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 256-bit master key ({@code STORAGE_KEY}, {@code STORAGE_KEY_FILE}, or their {@code _OLD_} forms during a
 * rotation). Its id is derived from the key (the first 8 bytes of HMAC-SHA256 of a fixed label under the key),
 * so every sealed record names the key it needs and a wrong key is recognised before anything is decrypted,
 * without the id revealing anything about the key. {@link #toString} never shows the key.
 */
public final class StorageKey {

    public static final int LENGTH = 32;
    private static final Logger log = LoggerFactory.getLogger(StorageKey.class);
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final byte[] ID_LABEL = "linkwell storage key id v1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FILE_SIZE = 1024;

    private final byte[] material;
    private final byte[] id;
    private final String source;

    private StorageKey(byte[] material, String source) {
        this.material = material;
        this.source = source;
        this.id = Arrays.copyOf(hmac(material, ID_LABEL), Envelope.KEY_ID_LENGTH);
    }

    /**
     * Reads a key written as base64 (standard or URL-safe, padding optional) or hex.
     *
     * @param setting the setting's name, for messages ({@code STORAGE_KEY})
     */
    public static StorageKey parse(String text, String setting) {
        String value = text.strip();
        byte[] bytes = decode(value);
        if (bytes == null || bytes.length != LENGTH) {
            throw new StorageKeyException(setting + " must be 32 random bytes written as base64 (44 characters, as"
                    + " `openssl rand -base64 32` prints) or hex (64 characters); the value given (" + value.length()
                    + " characters) is neither");
        }
        if (allSame(bytes)) {
            throw new StorageKeyException(
                    setting + " is 32 equal bytes, not a random key; make one with `openssl rand -base64 32`");
        }
        return new StorageKey(bytes, setting);
    }

    /** Reads a key file: one key as {@link #parse} takes it; warns when other users may read the file. */
    public static StorageKey read(Path file, String setting) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new StorageKeyException(
                        setting + " " + file + " is larger than " + MAX_FILE_SIZE + " bytes; it must hold one key");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
            warnIfShared(file, setting);
        } catch (IOException e) {
            throw new StorageKeyException(setting + " " + file + " cannot be read: " + e, e);
        }
        return parse(text, setting + " " + file);
    }

    /** The key's public id: 16 hex digits. */
    public String id() {
        return HexFormat.of().formatHex(id);
    }

    byte[] idBytes() {
        return id.clone();
    }

    /** The setting the key came from, for messages. */
    public String source() {
        return source;
    }

    SecretKey secretKey() {
        return new SecretKeySpec(material, "AES");
    }

    @Override
    public String toString() {
        return "StorageKey[id=" + id() + ", from " + source + "]";
    }

    private static byte[] decode(String value) {
        if (HEX.matcher(value).matches()) {
            return HexFormat.of().parseHex(value);
        }
        for (Base64.Decoder decoder : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                return decoder.decode(value);
            } catch (IllegalArgumentException notThisAlphabet) {
                // try the next one
            }
        }
        return null;
    }

    private static boolean allSame(byte[] bytes) {
        for (byte b : bytes) {
            if (b != bytes[0]) {
                return false;
            }
        }
        return true;
    }

    private static void warnIfShared(Path file, String setting) throws IOException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("{} {} can be read by other users; chmod 600 it", setting, file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // no modes to check
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
