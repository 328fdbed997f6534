package dev.linkwell.service.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.time.ManualScheduler;
import dev.linkwell.service.storage.postgres.Fence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a node counts on a lease, on a manual clock: from the time it asked, for the lease time less the margin. */
class LeaseBookTest {

    private final ManualScheduler time = new ManualScheduler(Instant.parse("2026-12-01T10:00:00Z"));
    private final LeaseBook book = new LeaseBook("n1", time.clock(), Duration.ofSeconds(12));
    private final List<String> lost = new ArrayList<>();

    LeaseBookTest() {
        book.onLost(lost::add);
    }

    @Test
    void aLeaseCountsFromWhenItWasAskedForNotWhenTheAnswerCame() {
        Instant asked = time.now();
        time.advance(Duration.ofSeconds(2)); // a slow answer
        book.took("s1", 4, asked);

        assertThat(book.lease("s1")).contains(new Fence.Lease("n1", 4));
        time.advance(Duration.ofMillis(9_999));
        assertThat(book.holds("s1")).isTrue();
        time.advance(Duration.ofMillis(1));
        assertThat(book.lease("s1")).as("12 s after asking: no more writes").isEmpty();
        assertThat(book.expire()).containsExactly("s1");
        assertThat(lost).containsExactly("s1");
        assertThat(book.snapshot()).isEmpty();
    }

    @Test
    void aRenewalExtendsWhatItRenewedAndReportsWhatWentElsewhere() {
        book.took("s1", 1, time.now());
        book.took("s2", 3, time.now());
        time.advance(Duration.ofSeconds(5));
        Instant asked = time.now();
        Map<String, Long> snapshot = book.snapshot();
        book.renewed(snapshot, Map.of("s1", 1L), asked);

        assertThat(lost).as("s2 has another owner now").containsExactly("s2");
        assertThat(book.snapshot()).containsOnlyKeys("s1");
        time.advance(Duration.ofSeconds(11));
        assertThat(book.expire()).as("renewed at 5 s: counts until 17 s").isEmpty();
        time.advance(Duration.ofSeconds(1));
        assertThat(book.expire()).containsExactly("s1");
    }

    @Test
    void aRenewalAnsweredAfterTheLeaseWasTakenAgainDoesNotTouchTheNewOne() {
        book.took("s1", 1, time.now());
        Map<String, Long> snapshot = book.snapshot();
        book.remove("s1");
        book.took("s1", 2, time.now());
        book.renewed(snapshot, Map.of(), time.now());

        assertThat(book.lease("s1")).contains(new Fence.Lease("n1", 2));
        assertThat(lost).isEmpty();
    }

    @Test
    void aWriteThatFindsAnotherEpochDropsTheLeaseOnce() {
        book.took("s1", 5, time.now());
        book.lost("s1", new Fence.Lease("n1", 4));
        assertThat(book.holds("s1"))
                .as("an older lease's failure says nothing about this one")
                .isTrue();
        book.lost("s1", new Fence.Lease("n1", 5));
        book.lost("s1", new Fence.Lease("n1", 5));
        assertThat(book.holds("s1")).isFalse();
        assertThat(lost).containsExactly("s1");
    }

    @Test
    void givingBackForgetsWithoutReportingALoss() {
        book.took("s1", 1, time.now());
        book.took("s2", 2, time.now());
        assertThat(book.remove("s1")).contains(1L);
        assertThat(book.removeAll()).containsExactly(Map.entry("s2", 2L));
        assertThat(lost).isEmpty();
    }
}
