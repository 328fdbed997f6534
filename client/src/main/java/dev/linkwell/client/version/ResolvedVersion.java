package dev.linkwell.client.version;

import dev.linkwell.protocol.version.WaVersion;
import java.util.Locale;
import java.util.Objects;

/**
 * The WhatsApp Web version the engine reports, and where it came from.
 *
 * @param version the version sent in every ClientPayload
 * @param source  where it came from
 * @param detail  one sentence for people: the URL it was fetched from, when it was cached, or why the
 *                built-in version is used (a failed fetch says why it failed)
 */
public record ResolvedVersion(WaVersion version, Source source, String detail) {

    /** Where a version came from. */
    public enum Source {
        /** Set in the configuration; nothing fetched. */
        CONFIGURED,
        /** Read from WhatsApp Web's service worker at this start. */
        FETCHED,
        /** Fetched at an earlier start less than a day ago. */
        CACHE,
        /** The version this build ships; used when nothing else is available. */
        BUILT_IN;

        /** {@code configured}, {@code fetched}, {@code cache}, {@code built-in}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public ResolvedVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code 2.3000.1045649367 (fetched from https://web.whatsapp.com/sw.js)}. */
    public String describe() {
        return version + " (" + detail + ")";
    }
}
