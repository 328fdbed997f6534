package dev.linkwell.protocol.pair;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a companion names its platform when it links: the web client type id that ends the QR text and
 * goes in {@code companion_platform_id}, and the {@code "<Browser> (<OS>)"} text of
 * {@code companion_platform_display}. Shared by the engine (which sends them) and the simulator (which
 * refuses what the server refuses).
 *
 * <p>Sources: whatsmeow pair-code.go {@code PairClientType} ("0" unknown, "1" Chrome, "2" Edge,
 * "3" Firefox, "4" IE, "5" Opera, "6" Safari, "7" Electron, "8" UWP, "9" other web client, "c" macOS,
 * "e" Android) and its PairPhone doc ("The client display name must be formatted as `Browser (OS)`, and
 * only common browsers/OSes are allowed (the server will validate it and return 400 if it's wrong)"),
 * at commit 33cfac5; Baileys 7.0.0-rc14 Utils/companion-reg-client-utils.js (the same ids for the six
 * browsers); whatsapp-rust PR #979 (2026-07-04, tested against the live server: "Chrome (Veloz)" gets
 * bad-request, "Chrome (Linux)" passes; the OS must be a ua-parser name: Windows, Mac OS, Linux,
 * Android, iOS).
 */
public final class CompanionPlatform {

    /** Browser name -> web client type id (whatsmeow PairClientType, Baileys CompanionWebClientType). */
    private static final Map<String, String> BROWSERS =
            Map.of("Chrome", "1", "Edge", "2", "Firefox", "3", "IE", "4", "Opera", "5", "Safari", "6");
    /** Operating systems the server accepts in the display (whatsapp-rust PR #979, ua-parser spellings). */
    public static final List<String> OPERATING_SYSTEMS = List.of("Windows", "Mac OS", "Linux", "Android", "iOS");
    /**
     * Every id whatsmeow defines for PairClientType. Baileys 6.x sent the char code of the digit ("49" for
     * Chrome); the server refuses that (the phone says it "couldn't link device": nanocoai/nanoclaw-whatsapp
     * PR #86; Baileys PR #2460 fixed it for 7.0).
     */
    private static final Set<String> KNOWN_IDS = Set.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "c", "e");
    /** Type id for a web client that is none of the known browsers. */
    public static final String OTHER_WEB_CLIENT = "9";

    private static final Pattern DISPLAY = Pattern.compile("([A-Za-z]+) \\(([A-Za-z ]+)\\)");

    private CompanionPlatform() {}

    /** The browsers with their own client type id, as they must be spelled in the display. */
    public static Set<String> browsers() {
        return BROWSERS.keySet();
    }

    /** The client type id of a browser name (case-insensitive), or empty when it has none of its own. */
    public static Optional<String> clientTypeId(String browser) {
        for (Map.Entry<String, String> e : BROWSERS.entrySet()) {
            if (e.getKey().equalsIgnoreCase(browser)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code id} is one of the web client type ids WhatsApp defines. */
    public static boolean isKnownClientTypeId(String id) {
        return id != null && KNOWN_IDS.contains(id);
    }

    /**
     * Checks a {@code companion_platform_display}: {@code "<Browser> (<OS>)"} with a browser from
     * {@link #browsers()} and an OS from {@link #OPERATING_SYSTEMS}, spelled exactly.
     *
     * @return empty when valid, else what is wrong, in words
     */
    public static Optional<String> problemWithDisplay(String display) {
        if (display == null) {
            return Optional.of("no platform display");
        }
        Matcher m = DISPLAY.matcher(display);
        if (!m.matches()) {
            return Optional.of("platform display " + quote(display) + " is not \"<Browser> (<OS>)\"");
        }
        if (!BROWSERS.containsKey(m.group(1))) {
            return Optional.of(
                    "browser " + quote(m.group(1)) + " is not one of " + String.join(", ", sorted(BROWSERS.keySet())));
        }
        if (!OPERATING_SYSTEMS.contains(m.group(2))) {
            return Optional.of("OS " + quote(m.group(2)) + " is not one of " + String.join(", ", OPERATING_SYSTEMS));
        }
        return Optional.empty();
    }

    /** The browser part of a valid display. */
    public static String browserOf(String display) {
        Matcher m = DISPLAY.matcher(display);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a platform display: " + display);
        }
        return m.group(1);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }

    private static String quote(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return '"' + cut.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
