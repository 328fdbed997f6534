package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageKeyChainTest {

    private static final byte[] START = new byte[32];

    /** The seeds a sender derives for counters 0..n-1. */
    private static List<byte[]> sent(int n) {
        MessageKeyChain sender = new MessageKeyChain(START, 0);
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seeds.add(sender.next());
        }
        return seeds;
    }

    @Test
    void receivingInAnyOrderYieldsTheSendersSeeds() {
        List<byte[]> seeds = sent(10);
        MessageKeyChain receiver = new MessageKeyChain(START, 0);
        for (int i : new int[] {3, 0, 9, 1, 2, 8, 4, 7, 5, 6}) {
            assertThat(receiver.seedFor(i)).as("counter %d", i).isEqualTo(seeds.get(i));
        }
        assertThat(receiver.skippedCount()).isZero();
        assertThat(receiver.nextIndex()).isEqualTo(10);
    }

    @Test
    void aUsedCounterIsADuplicate() {
        MessageKeyChain receiver = new MessageKeyChain(START, 0);
        receiver.seedFor(0);
        receiver.seedFor(5);
        receiver.seedFor(2);
        for (int used : new int[] {0, 2, 5}) {
            assertThatThrownBy(() -> receiver.seedFor(used)).isInstanceOf(DuplicateMessageException.class);
        }
        assertThat(receiver.skippedCount()).isEqualTo(3);
    }

    @Test
    void oneMessageMaySkipAtMostTwoThousandCounters() {
        List<byte[]> seeds = sent(MessageKeyChain.MAX_FORWARD + 2);
        MessageKeyChain receiver = new MessageKeyChain(START, 0);
        assertThatThrownBy(() -> receiver.seedFor(MessageKeyChain.MAX_FORWARD + 1))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("ahead");
        assertThat(receiver.nextIndex()).isZero();
        assertThat(receiver.seedFor(MessageKeyChain.MAX_FORWARD)).isEqualTo(seeds.get(MessageKeyChain.MAX_FORWARD));
        assertThat(receiver.skippedCount()).isEqualTo(MessageKeyChain.MAX_FORWARD);
    }

    @Test
    void atMostTwoThousandSkippedSeedsAreKeptOldestDroppedFirst() {
        List<byte[]> seeds = sent(4001);
        MessageKeyChain receiver = new MessageKeyChain(START, 0);
        receiver.seedFor(2000);
        receiver.seedFor(4000);
        assertThat(receiver.skippedCount()).isEqualTo(MessageKeyChain.MAX_SKIPPED_KEYS);
        // 0..1998 were dropped to make room; 1999.. are still there
        assertThatThrownBy(() -> receiver.seedFor(0)).isInstanceOf(DuplicateMessageException.class);
        assertThatThrownBy(() -> receiver.seedFor(1998)).isInstanceOf(DuplicateMessageException.class);
        assertThat(receiver.seedFor(1999)).isEqualTo(seeds.get(1999));
        assertThat(receiver.seedFor(3999)).isEqualTo(seeds.get(3999));
    }

    @Test
    void closingKeepsTheSeedsUpToTheSendersLastCounter() {
        List<byte[]> seeds = sent(6);
        MessageKeyChain receiver = new MessageKeyChain(START, 0);
        receiver.seedFor(1);
        receiver.closeAfter(4);
        assertThat(receiver.closed()).isTrue();
        assertThat(receiver.seedFor(0)).isEqualTo(seeds.get(0));
        assertThat(receiver.seedFor(4)).isEqualTo(seeds.get(4));
        assertThatThrownBy(() -> receiver.seedFor(5))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(receiver::next).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void closingWithAnUnknownOrHugeLastCounterKeepsNothingMore() {
        MessageKeyChain unknown = new MessageKeyChain(START, 0);
        unknown.seedFor(0);
        unknown.closeAfter(-1);
        assertThat(unknown.skippedCount()).isZero();
        MessageKeyChain huge = new MessageKeyChain(START, 0);
        huge.closeAfter(MessageKeyChain.MAX_FORWARD + 5);
        assertThat(huge.skippedCount()).isZero();
        assertThat(huge.closed()).isTrue();
    }

    @Test
    void copiesAreIndependent() {
        MessageKeyChain a = new MessageKeyChain(START, 0);
        a.seedFor(3);
        MessageKeyChain b = a.copy();
        b.seedFor(1);
        assertThat(a.seedFor(1)).isNotNull();
        assertThat(b.skippedCount()).isEqualTo(2);
    }

    @Test
    void restoreChecksWhatItReads() {
        MessageKeyChain a = new MessageKeyChain(START, 0);
        a.seedFor(3);
        MessageKeyChain back = MessageKeyChain.restore(a.chainKey(), a.nextIndex(), a.storedSkipped());
        assertThat(back.seedFor(2)).isEqualTo(a.copy().seedFor(2));
        assertThatThrownBy(() -> MessageKeyChain.restore(new byte[31], 0, List.of()))
                .isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> MessageKeyChain.restore(START, -1, List.of()))
                .isInstanceOf(CorruptStateException.class);
        // a skipped key at or past the next index cannot be
        assertThatThrownBy(() -> MessageKeyChain.restore(START, 2, a.storedSkipped()))
                .isInstanceOf(CorruptStateException.class);
    }
}
