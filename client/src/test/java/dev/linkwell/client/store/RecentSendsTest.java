package dev.linkwell.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecentSendsTest {

    private final MemoryCredentialStore store = new MemoryCredentialStore();

    private static RecentSends.Sent sent(String id, int size) {
        return new RecentSends.Sent(id, "51987654321@s.whatsapp.net", 1_700_000_000L, new byte[size]);
    }

    @Test
    void aSentMessageIsFoundAgainAfterAReload() {
        RecentSends sends = RecentSends.load(store, "s1");
        sends.add(
                new RecentSends.Sent("3EB0A", "51987654321@s.whatsapp.net", 42, "hi".getBytes(StandardCharsets.UTF_8)));
        RecentSends reloaded = RecentSends.load(store, "s1");
        RecentSends.Sent back = reloaded.find("3EB0A").orElseThrow();
        assertThat(back.chat()).isEqualTo("51987654321@s.whatsapp.net");
        assertThat(back.sentAt()).isEqualTo(42);
        assertThat(new String(back.message(), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(reloaded.find("other")).isEmpty();
        assertThat(RecentSends.load(store, "s2").size()).as("per session").isZero();
    }

    @Test
    void theOldestGoFirstBeyondTheCountAndTheSizeBounds() {
        RecentSends sends = RecentSends.load(store, "s1");
        for (int i = 0; i < RecentSends.MAX_ENTRIES + 3; i++) {
            sends.add(sent("m" + i, 10));
        }
        assertThat(sends.size()).isEqualTo(RecentSends.MAX_ENTRIES);
        assertThat(sends.find("m2")).isEmpty();
        assertThat(sends.find("m3")).isPresent();
        sends.add(sent("big1", RecentSends.MAX_BYTES / 2));
        sends.add(sent("big2", RecentSends.MAX_BYTES / 2));
        assertThat(sends.find("big1")).isPresent();
        assertThat(sends.find("big2")).isPresent();
        assertThat(RecentSends.load(store, "s1").find("m3"))
                .as("dropped to stay under the byte bound")
                .isEmpty();
    }

    @Test
    void aBlobThatDoesNotParseIsAFreshStart() {
        store.write("s1", RecentSends.BLOB, "not a recent-sends blob".getBytes(StandardCharsets.UTF_8));
        assertThat(RecentSends.load(store, "s1").size()).isZero();
        byte[] truncated = {'L', 'W', 'R', 'S', 1, 0, 5, 'a'};
        store.write("s1", RecentSends.BLOB, truncated);
        RecentSends sends = RecentSends.load(store, "s1");
        assertThat(sends.size()).isZero();
        sends.add(sent("m1", 3));
        assertThat(RecentSends.load(store, "s1").find("m1")).isPresent();
    }
}
