package dev.linkwell.service.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.time.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** At most so many sessions a second, one second's worth saved up, on a manual clock. */
class ClaimBudgetTest {

    private final ManualScheduler time = new ManualScheduler();
    private final ClaimBudget budget = new ClaimBudget(time.clock(), 4);

    @Test
    void grantsAtMostTheRateAndSavesUpOneSecondAtMost() {
        assertThat(budget.take(10)).isEqualTo(4);
        assertThat(budget.take(1)).isZero();
        time.advance(Duration.ofMillis(500));
        assertThat(budget.available()).isEqualTo(2);
        assertThat(budget.take(3)).isEqualTo(2);
        time.advance(Duration.ofMinutes(5));
        assertThat(budget.available())
                .as("an idle node does not save up a storm")
                .isEqualTo(4);
    }

    @Test
    void givesBackWhatWasNotUsed() {
        assertThat(budget.take(4)).isEqualTo(4);
        budget.refund(3);
        assertThat(budget.take(4)).isEqualTo(3);
        budget.refund(10);
        assertThat(budget.available()).isEqualTo(4);
    }
}
