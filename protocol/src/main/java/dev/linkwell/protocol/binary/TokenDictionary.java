package dev.linkwell.protocol.binary;

import java.util.HashMap;
import java.util.Map;

/** O(1) lookups over {@link Tokens}, built once. */
final class TokenDictionary {

    private TokenDictionary() {}

    /**
     * String -> encoded token: {@code index} for a single-byte token, {@code (1 + dict) << 8 | index}
     * for a double-byte one. The empty string (single-byte index 0) is included: Baileys writes it as
     * byte 0, which reads back as "".
     */
    private static final Map<String, Integer> CODES;

    static {
        int size = Tokens.SINGLE_BYTE.length;
        for (String[] d : Tokens.DOUBLE_BYTE) {
            size += d.length;
        }
        Map<String, Integer> codes = new HashMap<>(size * 2);
        for (int i = 0; i < Tokens.SINGLE_BYTE.length; i++) {
            codes.putIfAbsent(Tokens.SINGLE_BYTE[i], i);
        }
        for (int d = 0; d < Tokens.DOUBLE_BYTE.length; d++) {
            for (int i = 0; i < Tokens.DOUBLE_BYTE[d].length; i++) {
                // Baileys builds TOKEN_MAP single first, then doubles (later wins); the tables have
                // no duplicates, so putIfAbsent and "later wins" give the same map.
                codes.putIfAbsent(Tokens.DOUBLE_BYTE[d][i], (1 + d) << 8 | i);
            }
        }
        CODES = Map.copyOf(codes);
        if (Tokens.SINGLE_BYTE.length != Tags.SINGLE_BYTE_MAX + 1 || Tokens.DOUBLE_BYTE.length != 4) {
            throw new ExceptionInInitializerError("token tables have an unexpected shape");
        }
    }

    /** @return the token code or -1 */
    static int code(String s) {
        Integer c = CODES.get(s);
        return c == null ? -1 : c;
    }

    static String single(int index) {
        return Tokens.SINGLE_BYTE[index];
    }

    /** @return the token, or null if the dictionary slot does not exist */
    static String doubleByte(int dict, int index) {
        if (dict < 0 || dict >= Tokens.DOUBLE_BYTE.length) {
            return null;
        }
        String[] table = Tokens.DOUBLE_BYTE[dict];
        return index >= 0 && index < table.length ? table[index] : null;
    }
}
