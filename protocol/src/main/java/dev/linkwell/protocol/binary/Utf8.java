package dev.linkwell.protocol.binary;

import java.nio.charset.StandardCharsets;

/** UTF-8 helpers that behave like Node.js {@code Buffer}, so our bytes match Baileys'. */
final class Utf8 {

    private Utf8() {}

    /**
     * UTF-8 of {@code s}; an unpaired surrogate becomes U+FFFD (EF BF BD) as in Node.js
     * ({@code String.getBytes} would write '?').
     */
    static byte[] encode(String s) {
        boolean surrogates = false;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                surrogates = true;
                break;
            }
        }
        if (!surrogates) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder fixed = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                fixed.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                fixed.append('\uFFFD');
            } else {
                fixed.append(c);
            }
        }
        return fixed.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes with replacement of malformed sequences by U+FFFD (lenient, as Baileys and whatsmeow). */
    static String decode(byte[] b, int off, int n) {
        return new String(b, off, n, StandardCharsets.UTF_8);
    }
}
