package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How many runs execute at once: as configured, else one per processor the JVM may use; never none. */
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
}
