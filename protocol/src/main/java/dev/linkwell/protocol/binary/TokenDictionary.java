package dev.linkwell.protocol.binary;

import java.util.HashMap;
import java.util.Map;

/**
 * One version of the binary token tables, with O(1) lookups both ways.
 *
 * <p>The client names the version in the fourth byte of its intro ({@code 57 41 06 DV}) and both
 * sides then encode and decode every node of that connection with that version's tables
 * (whatsmeow {@code binary/token/token.go}: "It's sent when connecting to the websocket so the
 * server knows which tokens are supported"). Mixing them garbles every token: slot 9 is
 * {@code broadcast} in version 2 and {@code notification} in version 3.
 */
public final class TokenDictionary {

    /** Dictionary version 2 (Baileys 6.17.16). Stale; served by the simulator for old clients. */
    public static final TokenDictionary V2 = new TokenDictionary(2, TokensV2.SINGLE_BYTE, TokensV2.DOUBLE_BYTE);
    /** Dictionary version 3: what today's clients send (whatsmeow, Baileys 7). */
    public static final TokenDictionary V3 = new TokenDictionary(3, TokensV3.SINGLE_BYTE, TokensV3.DOUBLE_BYTE);
    /** The version our engine announces and speaks. */
    public static final TokenDictionary CURRENT = V3;

    private final int version;
    private final String[] single;
    private final String[][] doubleByte;
    /**
     * String -> encoded token: {@code index} for a single-byte token, {@code (1 + dict) << 8 | index}
     * for a double-byte one. Slot 0 ("") is left out: the encoder writes "" raw, as whatsmeow does.
     */
    private final Map<String, Integer> codes;

    private TokenDictionary(int version, String[] single, String[][] doubleByte) {
        if (single.length != Tags.SINGLE_BYTE_MAX + 1 || doubleByte.length != 4) {
            throw new ExceptionInInitializerError("token tables of version " + version + " have an unexpected shape");
        }
        this.version = version;
        this.single = single;
        this.doubleByte = doubleByte;
        Map<String, Integer> map = new HashMap<>(2 * (single.length + 4 * 256));
        for (int i = 1; i < single.length; i++) {
            map.putIfAbsent(single[i], i);
        }
        for (int d = 0; d < doubleByte.length; d++) {
            for (int i = 0; i < doubleByte[d].length; i++) {
                // Baileys builds its TOKEN_MAP single first, then doubles (later wins); the tables have
                // no duplicates, so putIfAbsent and "later wins" give the same map.
                map.putIfAbsent(doubleByte[d][i], (1 + d) << 8 | i);
            }
        }
        this.codes = Map.copyOf(map);
    }

    /**
     * The tables for the version a client announced.
     *
     * @throws IllegalArgumentException for a version we hold no tables for
     */
    public static TokenDictionary forVersion(int version) {
        return switch (version) {
            case 2 -> V2;
            case 3 -> V3;
            default -> throw new IllegalArgumentException("no token tables for dictionary version " + version);
        };
    }

    /** The number announced in the intro's fourth byte. */
    public int version() {
        return version;
    }

    /** @return the token code or -1 */
    int code(String s) {
        Integer c = codes.get(s);
        return c == null ? -1 : c;
    }

    String single(int index) {
        return single[index];
    }

    /** @return the token, or null if the dictionary slot does not exist */
    String doubleByte(int dict, int index) {
        if (dict < 0 || dict >= doubleByte.length) {
            return null;
        }
        String[] table = doubleByte[dict];
        return index >= 0 && index < table.length ? table[index] : null;
    }

    /** A copy of the single-byte table (index 0 is ""), for cross-checks against other implementations. */
    public String[] singleByteTokens() {
        return single.clone();
    }

    /** A deep copy of the double-byte tables, for cross-checks against other implementations. */
    public String[][] doubleByteTokens() {
        String[][] copy = new String[doubleByte.length][];
        for (int i = 0; i < doubleByte.length; i++) {
            copy[i] = doubleByte[i].clone();
        }
        return copy;
    }

    @Override
    public String toString() {
        return "TokenDictionary[v" + version + "]";
    }
}
