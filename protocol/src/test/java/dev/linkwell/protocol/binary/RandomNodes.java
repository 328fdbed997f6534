package dev.linkwell.protocol.binary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random nodes from realistic material: tokens, double-byte tokens, JIDs of several forms
 * (device and LID included), nibble and hex material, raw text (unicode too), bytes, nesting.
 *
 * <p>Everything generated is "canonical": a string Baileys (7.0.0-rc14 and 6.17.16) also writes losslessly, so both
 * encoders must produce identical bytes. Left out on purpose (see docs/protocol-binary.md): JID users
 * with '_' or extra ':', device 0 or above 255, AD JIDs on hosted servers, attribute keys that are
 * array indices (JavaScript objects reorder them), and JavaScript prototype names as keys.
 */
final class RandomNodes {

    private static final String[] WORDS = {
        "hello",
        "linkwell",
        "abc",
        "Zm9v",
        "with space",
        "x-y",
        "ümlaut",
        "emoji \uD83D\uDE00",
        "日本語",
        "a\nb",
        "tab\there",
        "deadbeef",
        "q\"uote",
        "<&>",
        "",
        "notify",
        "Ünïcödé"
    };

    private final Random r;
    private final boolean emptyStrings;
    private final List<String> single = new ArrayList<>();
    private final List<String> dbl = new ArrayList<>();

    /** Token material from today's tables, {@link TokenDictionary#CURRENT}. */
    RandomNodes(long seed) {
        this(seed, TokenDictionary.CURRENT, true);
    }

    /**
     * @param emptyStrings whether "" may appear; Baileys 6.17.16 writes it as token 0 where Baileys 7,
     *                     whatsmeow and we write it raw, so the v2 byte-for-byte check leaves it out
     */
    RandomNodes(long seed, TokenDictionary dictionary, boolean emptyStrings) {
        r = new Random(seed);
        this.emptyStrings = emptyStrings;
        String[] singles = dictionary.singleByteTokens();
        for (int i = 1; i < singles.length; i++) {
            single.add(singles[i]);
        }
        for (String[] d : dictionary.doubleByteTokens()) {
            dbl.addAll(List.of(d));
        }
    }

    Random random() {
        return r;
    }

    private String pick(List<String> l) {
        return l.get(r.nextInt(l.size()));
    }

    private String word() {
        String w = WORDS[r.nextInt(WORDS.length)];
        return w.isEmpty() && !emptyStrings ? "hello" : w;
    }

    private String digits(int n) {
        StringBuilder sb = new StringBuilder().append(1 + r.nextInt(9));
        while (sb.length() < n) {
            sb.append(r.nextInt(10));
        }
        return sb.toString();
    }

    private String hex(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("0123456789ABCDEF".charAt(r.nextInt(16)));
        }
        return sb.toString();
    }

    String jid() {
        return switch (r.nextInt(12)) {
            case 0 -> digits(11 + r.nextInt(3)) + "@s.whatsapp.net";
            case 1 -> digits(12) + ":" + (1 + r.nextInt(99)) + "@s.whatsapp.net";
            case 2 -> digits(15) + "@lid";
            case 3 -> digits(15) + ":" + (1 + r.nextInt(255)) + "@lid";
            case 4 -> digits(18) + "@g.us";
            case 5 -> digits(11) + "-" + digits(10) + "@g.us";
            case 6 -> "status@broadcast";
            case 7 -> "@s.whatsapp.net";
            case 8 -> digits(18) + "@newsletter";
            case 9 -> hex(32) + "@call";
            case 10 ->
                word().replaceAll("[@:_]", "") + "@"
                        + new String[] {"g.us", "broadcast", "c.us", "x.example", "hosted"}[r.nextInt(5)];
            default -> digits(12) + ":" + (1 + r.nextInt(255)) + "@s.whatsapp.net";
        };
    }

    String string() {
        switch (r.nextInt(10)) {
            case 0, 1:
                return pick(single);
            case 2:
                return pick(dbl);
            case 3, 4:
                return jid();
            case 5: {
                int n = 1 + r.nextInt(r.nextInt(5) == 0 ? 140 : 20);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.append("0123456789-.".charAt(r.nextInt(12)));
                }
                return sb.toString();
            }
            case 6:
                return hex(1 + r.nextInt(r.nextInt(5) == 0 ? 140 : 40));
            case 7:
                return digits(1 + r.nextInt(13));
            case 8:
                return word();
            default:
                return r.nextInt(10) == 0 ? "y".repeat(200 + r.nextInt(400)) : word() + r.nextInt(1000);
        }
    }

    private static boolean jsUnsafeKey(String k) {
        return k.matches("0|[1-9][0-9]*") || k.equals("__proto__");
    }

    Node node() {
        return node(0);
    }

    private Node node(int depth) {
        String tag = r.nextInt(4) == 0 ? word() : pick(r.nextInt(3) == 0 ? dbl : single);
        if (tag.isEmpty()) {
            tag = "empty";
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        int na = r.nextInt(6);
        for (int i = 0; i < na; i++) {
            String k = string();
            if (!jsUnsafeKey(k)) {
                attrs.put(k, string());
            }
        }
        switch (r.nextInt(depth > 3 ? 3 : 5)) {
            case 0:
                return Node.of(tag, attrs);
            case 1:
                return Node.withString(tag, attrs, string());
            case 2: {
                // BINARY_20 material: large blobs only at the root, medium ones rarely below
                int len = depth == 0 && r.nextInt(10) == 0
                        ? 256 + r.nextInt(70000)
                        : r.nextInt(30) == 0 ? 256 + r.nextInt(1500) : r.nextInt(200);
                byte[] b = new byte[len];
                r.nextBytes(b);
                return Node.withBytes(tag, attrs, b);
            }
            default: {
                int count = depth <= 1 && r.nextInt(30) == 0 ? 256 + r.nextInt(50) : r.nextInt(5); // LIST_16
                List<Node> kids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    kids.add(node(depth + 1 + (count > 10 ? 3 : 0)));
                }
                return Node.withChildren(tag, attrs, kids);
            }
        }
    }
}
