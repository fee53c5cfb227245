package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * How many runs execute at once: as configured, else one per processor the JVM may use; never none. A stale-after that
 * a late heartbeat would exceed is refused.
 */
class RunWorkersTest {

    @Test
    void shouldStartOneWorkerPerProcessorUnlessConfigured() {
        assertThat(RunWorkers.count(OptionalInt.empty())).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(RunWorkers.count(OptionalInt.of(1))).isEqualTo(1);
        assertThat(RunWorkers.count(OptionalInt.of(3))).isEqualTo(3);
    }

    @Test
    void shouldRefuseToStartWithoutAWorker() {
        assertThatThrownBy(() -> RunWorkers.count(OptionalInt.of(0))).isInstanceOf(IllegalStateException.class)
                .hasMessage("dataline.runs.workers must be at least 1, not 0");
    }

    @Test
    void shouldRefuseAStaleAfterShorterThanThreeHeartbeats() {
        RunWorkers.requireHeartbeatsWithinStaleAfter(Duration.ofSeconds(2), Duration.ofSeconds(20));
        RunWorkers.requireHeartbeatsWithinStaleAfter(Duration.ofMillis(500), Duration.ofMillis(1500));

        assertThatThrownBy(() -> RunWorkers.requireHeartbeatsWithinStaleAfter(Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataline.runs.stale-after (3000 ms) must be at least three times dataline.runs.heartbeat (2000 ms), which must "
                        + "be positive: a run whose heartbeat is a little late would be taken for orphaned while it runs");
        assertThatThrownBy(() -> RunWorkers.requireHeartbeatsWithinStaleAfter(Duration.ZERO, Duration.ofSeconds(20)))
                .isInstanceOf(IllegalStateException.class);
    }
}
