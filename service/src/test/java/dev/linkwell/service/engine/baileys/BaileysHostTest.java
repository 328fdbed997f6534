package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BaileysHostTest {

    @Test
    void theRestartWaitIsNoneAtFirstThenDoublesPerCrashUpToTheCap() {
        Duration base = Duration.ofSeconds(1);
        Duration cap = Duration.ofSeconds(30);
        assertThat(BaileysHost.restartDelay(0, base, cap)).isZero();
        assertThat(BaileysHost.restartDelay(1, base, cap)).isEqualTo(Duration.ofSeconds(1));
        assertThat(BaileysHost.restartDelay(2, base, cap)).isEqualTo(Duration.ofSeconds(2));
        assertThat(BaileysHost.restartDelay(5, base, cap)).isEqualTo(Duration.ofSeconds(16));
        assertThat(BaileysHost.restartDelay(6, base, cap)).isEqualTo(cap);
        assertThat(BaileysHost.restartDelay(1_000, base, cap)).isEqualTo(cap);
    }
}
