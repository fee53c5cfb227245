package io.dataline.validation.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Covers the drift statistics against hand computations (done with base-2 logs for Jensen-Shannon and natural logs
 * for PSI): a shifted label distribution, a category that appears, decile edges, and identical distributions.
 */
class DriftTest {

    @Test
    void shouldScoreAShiftedLabelDistribution() {
        Map<String, Long> parent = Map.of("positive", 50L, "negative", 50L);
        Map<String, Long> version = Map.of("positive", 80L, "negative", 20L);

        // P = (0.8, 0.2), Q = (0.5, 0.5), M = (0.65, 0.35)
        // KL(P||M) = 0.8 log2(0.8/0.65) + 0.2 log2(0.2/0.35) = 0.0781790; KL(Q||M) = 0.0680290; JS = 0.0731040
        assertThat(Drift.lInfinity(version, parent)).isCloseTo(0.3, within(1e-12));
        assertThat(Drift.jensenShannon(version, parent)).isCloseTo(0.07310400793180985, within(1e-12));
    }

    @Test
    void shouldScoreACategoryThatAppears() {
        Map<String, Long> parent = Map.of("a", 60L, "b", 40L);
        Map<String, Long> version = Map.of("a", 50L, "b", 30L, "c", 20L);

        assertThat(Drift.lInfinity(version, parent)).isCloseTo(0.2, within(1e-12));
        assertThat(Drift.jensenShannon(version, parent)).isCloseTo(0.10845353607568596, within(1e-12));
        assertThat(Drift.jensenShannon(parent, parent)).isZero();
    }

    @Test
    void shouldComputePsiOverParentDeciles() {
        double[] parent = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        double[] version = IntStream.range(0, 100).mapToDouble(i -> i < 50 ? 5 : 95).toArray();

        assertThat(Drift.decileEdges(parent)).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90);
        // bins hold 10 % each in the parent; the version puts 50 % in the first and last bins and 0 in the rest
        // (floored at 1e-4): 2 x (0.5-0.1) ln 5 + 8 x (0.0001-0.1) ln(0.001) = 6.8082283
        assertThat(Drift.psi(version, parent)).isCloseTo(6.808228348909806, within(1e-9));
        assertThat(Drift.psi(parent, parent)).isZero();
    }

    @Test
    void shouldMergeEqualDecileEdges() {
        double[] parent = IntStream.range(0, 100).mapToDouble(i -> i < 95 ? 1 : 2).toArray();

        assertThat(Drift.decileEdges(parent)).containsExactly(1);
        assertThat(Drift.shares(new double[] {1, 1, 2, 3}, Drift.decileEdges(parent))).containsExactly(0.5, 0.5);
    }
}
