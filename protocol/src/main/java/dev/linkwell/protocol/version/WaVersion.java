package dev.linkwell.protocol.version;

import dev.linkwell.protocol.proto.ClientPayload;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WhatsApp Web version, {@code primary.secondary.tertiary} such as {@code 2.3000.1045649367}: what a
 * client reports in {@code ClientPayload.userAgent.appVersion}, and what the server compares with its
 * minimum (an older one gets {@code <failure reason="405"/>}). Ordered part by part, as whatsmeow's
 * {@code WAVersionContainer.LessThan} (store/clientpayload.go @33cfac5).
 *
 * <p>Each part is a non-negative number below 2^31 (the wire field is a uint32; today's tertiary part
 * is about half of that bound).
 */
public record WaVersion(int primary, int secondary, int tertiary) implements Comparable<WaVersion> {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,10})\\.(\\d{1,10})\\.(\\d{1,10})");

    public WaVersion {
        if (primary < 0 || secondary < 0 || tertiary < 0) {
            throw new IllegalArgumentException("version parts must not be negative");
        }
    }

    /**
     * Parses {@code "2.3000.1045649367"}: exactly three dot-separated decimal numbers, nothing around them.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static WaVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("version missing");
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version: expected three dot-separated numbers"
                    + " such as 2.3000.1045649367");
        }
        return new WaVersion(part(m.group(1), text), part(m.group(2), text), part(m.group(3), text));
    }

    /**
     * The version a ClientPayload reports; 0.0.0 when it carries no user agent or app version. A part of
     * 2^31 or more (uint32 on the wire) counts as 2^31 - 1.
     */
    public static WaVersion of(ClientPayload payload) {
        ClientPayload.UserAgent.AppVersion v = payload.getUserAgent().getAppVersion();
        return new WaVersion(clamp(v.getPrimary()), clamp(v.getSecondary()), clamp(v.getTertiary()));
    }

    /** The three parts, in order. */
    public List<Integer> parts() {
        return List.of(primary, secondary, tertiary);
    }

    public boolean isOlderThan(WaVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(WaVersion o) {
        int c = Integer.compare(primary, o.primary);
        if (c == 0) {
            c = Integer.compare(secondary, o.secondary);
        }
        return c != 0 ? c : Integer.compare(tertiary, o.tertiary);
    }

    @Override
    public String toString() {
        return primary + "." + secondary + "." + tertiary;
    }

    private static int clamp(int uint32) {
        return uint32 < 0 ? Integer.MAX_VALUE : uint32;
    }

    private static int part(String digits, String text) {
        long value = Long.parseLong(digits);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is not a version: " + digits + " is too large");
        }
        return (int) value;
    }
}
