package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How many runs execute at once: as configured, never none. */
class RunWorkersTest {

    @Test
    void shouldStartAsManyWorkersAsConfigured() {
        assertThat(RunWorkers.count(1)).isEqualTo(1);
        assertThat(RunWorkers.count(3)).isEqualTo(3);
    }

    @Test
    void shouldRefuseToStartWithoutAWorker() {
        assertThatThrownBy(() -> RunWorkers.count(0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("dataline.runs.workers must be at least 1, not 0");
    }
}
