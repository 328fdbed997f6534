package dev.linkwell.client.version;

import java.util.Optional;

/**
 * Where the {@link WaVersionResolver} keeps the last version it fetched, as a small text. The resolver owns
 * the format and ignores text it cannot read; the cache only keeps it.
 */
public interface VersionCache {

    /** The cached text, or empty when nothing was cached yet. */
    Optional<String> read();

    /** Replaces the cached text in one step: a reader sees the old or the new text, never a mix. */
    void write(String text);
}
