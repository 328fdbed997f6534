package dev.linkwell.protocol.signal;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * WhatsApp pads the plaintext (the encoded {@code Message} protobuf) inside {@code <enc v="2">} with n
 * bytes of value n.
 *
 * <p>Padding: n random in 1..16, as Baileys 7.0.0-rc14 Utils/generics.js writeRandomPadMax16 does
 * ({@code (random & 0x0f) + 1}); whatsmeow's padMessage picks 1..15 ({@code random & 0x0f}, 0 -> 15).
 *
 * <p>Unpadding: the last byte n must be 1..length and the last n bytes must all equal n, as whatsmeow's
 * unpadMessage / isValidPadding checks; anything else is an {@link InvalidMessageException}. Baileys'
 * unpadRandomMax16 checks only n &lt;= length, and whatsmeow accepts n = 0 (no padding): we refuse n = 0
 * because no sender we know produces it. {@code <enc v="3">} payloads are not padded at all (whatsmeow
 * unpadMessage returns them as they are); that is for the caller to decide.
 */
public final class WhatsAppPadding {

    public static final int MAX_PAD = 16;

    private WhatsAppPadding() {}

    public static byte[] pad(byte[] plaintext, SecureRandom random) {
        return pad(plaintext, 1 + random.nextInt(MAX_PAD));
    }

    /** Appends n bytes of value n, n in 1..16. */
    public static byte[] pad(byte[] plaintext, int n) {
        if (n < 1 || n > MAX_PAD) {
            throw new IllegalArgumentException("pad length must be 1..16, got " + n);
        }
        byte[] out = Arrays.copyOf(plaintext, plaintext.length + n);
        Arrays.fill(out, plaintext.length, out.length, (byte) n);
        return out;
    }

    public static byte[] unpad(byte[] padded) {
        if (padded == null || padded.length == 0) {
            throw new InvalidMessageException("padded plaintext is empty");
        }
        int n = padded[padded.length - 1] & 0xff;
        if (n == 0 || n > padded.length) {
            throw new InvalidMessageException("bad padding length " + n + " for " + padded.length + " bytes");
        }
        for (int i = padded.length - n; i < padded.length; i++) {
            if ((padded[i] & 0xff) != n) {
                throw new InvalidMessageException("padding bytes are not all " + n);
            }
        }
        return Arrays.copyOf(padded, padded.length - n);
    }
}
